package io.kmirror.testkit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks an {@link EmbeddedKafkaCluster} parameter that {@link KafkaClustersExtension} fills with the
 * source cluster of the test class: the same running cluster for every constructor, lifecycle method
 * and test method of the class.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.PARAMETER)
public @interface Source {
}
