/**
 * The MirrorMaker-compatible command line of {@code kmirror.jar}, the operator's program:
 * {@link io.kmirror.cli.KmirrorMain} takes MirrorMaker 1's options and configuration files, checks them
 * before anything starts, runs a {@link io.kmirror.Mirror} with a status display, and stops it
 * gracefully on SIGTERM or Ctrl-C. It uses kmirror's public API only. Each package-private class does
 * one job: parsing ({@code CommandLineParser}, {@code Arguments}), files ({@code ConfigFile}), checks and
 * messages ({@code MirrorConfigurer}, {@code MessageHandlerLoader}), the start block
 * ({@code StartBanner}), the status ({@code StatusLine}, {@code StatusDisplay}), the run with its exit
 * codes ({@code MirrorRunner}), logging ({@code LogLevel}) and handing {@code demo} and {@code bench}
 * to {@code kmirror-demo.jar} ({@code DemoJar}).
 */
package io.kmirror.cli;
