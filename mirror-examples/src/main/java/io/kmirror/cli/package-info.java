/**
 * The MirrorMaker-compatible command line of {@code kmirror.jar}: {@link io.kmirror.examples.cli.MirrorCommand}
 * takes MirrorMaker 1's options and configuration files, checks them before anything starts, runs a
 * {@link io.kmirror.Mirror} with a status display, and stops it gracefully on SIGTERM or Ctrl-C. Each
 * package-private class does one job: parsing ({@code CommandLineParser}, {@code Arguments}), files
 * ({@code ConfigFile}), checks and messages ({@code MirrorConfigurer}, {@code MessageHandlerLoader}),
 * the start block ({@code StartBanner}), the status ({@code StatusLine}, {@code StatusDisplay}) and the
 * run with its exit codes ({@code MirrorRunner}).
 */
package io.kmirror.examples.cli;
