/**
 * kmirror's public API: mirror Kafka topics from a source cluster to a destination cluster from
 * inside a host application.
 *
 * <p>Start at {@link io.kmirror.Mirror#builder()}. The host owns the lifecycle: it starts the
 * {@link io.kmirror.Mirror}, watches its {@link io.kmirror.MirrorState} (or a
 * {@link io.kmirror.MirrorListener}) and closes it; the library adds no shutdown hooks, never exits
 * the JVM, keeps no static state and logs through SLF4J only.
 *
 * <p>Packages under {@code io.kmirror.internal} are not API and may change in any release.
 */
package io.kmirror;
