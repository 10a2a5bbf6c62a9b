package io.kmirror.testkit.internal;

import io.kmirror.testkit.Destination;
import io.kmirror.testkit.Source;
import io.kmirror.testkit.TestKafkaCluster;

import java.lang.annotation.Annotation;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.platform.commons.support.AnnotationSupport;
import org.junit.platform.commons.support.HierarchyTraversalMode;

/** Finds the {@link Source} / {@link Destination} fields of a test class and fills them. */
public final class ClusterFields {

    private ClusterFields() {
    }

    /**
     * Returns the static or the instance fields of a class and its superclasses annotated with
     * {@link Source} or {@link Destination}.
     *
     * @param testClass the class
     * @param statics whether to return the static fields (else the instance fields)
     * @return the fields, superclass fields first
     * @throws ExtensionConfigurationException if such a field's type is no {@link TestKafkaCluster}
     */
    public static List<Field> of(Class<?> testClass, boolean statics) {
        List<Field> fields = new ArrayList<>();
        Set<Field> seen = new HashSet<>();
        for (Class<? extends Annotation> annotation : List.of(Source.class, Destination.class)) {
            for (Field field : AnnotationSupport.findAnnotatedFields(testClass, annotation,
                    f -> Modifier.isStatic(f.getModifiers()) == statics, HierarchyTraversalMode.TOP_DOWN)) {
                if (seen.add(field)) {
                    if (!TestKafkaCluster.class.isAssignableFrom(field.getType())) {
                        throw new ExtensionConfigurationException("field " + field + " is annotated @"
                                + annotation.getSimpleName() + " but is no TestKafkaCluster");
                    }
                    fields.add(field);
                }
            }
        }
        return fields;
    }

    /**
     * Sets each field to the source or the destination cluster, as its annotation says.
     *
     * @param fields fields returned by {@link #of(Class, boolean)}
     * @param instance the test instance, or null for static fields
     * @param clusters the clusters
     * @throws ExtensionConfigurationException if a field's type does not fit the cluster, or it cannot be set
     */
    public static void inject(List<Field> fields, Object instance, ClusterPair clusters) {
        for (Field field : fields) {
            TestKafkaCluster cluster = field.isAnnotationPresent(Source.class) ? clusters.source() : clusters.destination();
            if (!field.getType().isInstance(cluster)) {
                throw new ExtensionConfigurationException("field " + field + " has type " + field.getType().getSimpleName()
                        + ", but the clusters are " + cluster.getClass().getSimpleName() + "; declare it as TestKafkaCluster");
            }
            try {
                field.setAccessible(true);
                field.set(instance, cluster);
            } catch (IllegalAccessException | RuntimeException e) {
                throw new ExtensionConfigurationException("cannot set field " + field + ": " + e, e);
            }
        }
    }
}
