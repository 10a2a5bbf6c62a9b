/** Not API: the mirror's metrics (kafka-clients' metrics library, JMX, the Micrometer bridge); may change in any release. */
package io.kmirror.internal.metrics;
