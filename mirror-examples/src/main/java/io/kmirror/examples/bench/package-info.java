/**
 * {@code kmirror bench}: a benchmark of kmirror against a bare consumer-to-producer loop on the same
 * brokers. {@link io.kmirror.examples.bench.Bench} is the orchestrator (embedded clusters, workload,
 * report); {@link io.kmirror.examples.bench.BaselineContender} and
 * {@link io.kmirror.examples.bench.KmirrorContender} are the programs it runs, each in a JVM of its own.
 */
package io.kmirror.examples.bench;
