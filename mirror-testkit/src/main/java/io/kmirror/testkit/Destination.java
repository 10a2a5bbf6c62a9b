package io.kmirror.testkit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a parameter or field that receives the destination cluster: a {@link TestKafkaCluster} from
 * {@link MirrorClusters} / {@link MirrorClustersExtension} (parameters and fields). Within one test
 * class (or one test method, with per-method clusters) every place marked so receives the same running
 * cluster. It is never the same cluster as the {@link Source} one.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.PARAMETER, ElementType.FIELD})
public @interface Destination {
}
