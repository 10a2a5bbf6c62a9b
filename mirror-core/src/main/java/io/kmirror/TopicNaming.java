package io.kmirror;

import java.util.Objects;

/**
 * Maps a source topic name to the destination topic name. Must be a pure function: the same source
 * name always gives the same destination name.
 */
@FunctionalInterface
public interface TopicNaming {

    /** The destination topic for {@code sourceTopic}. */
    String destinationTopic(String sourceTopic);

    /** Whether this naming maps every topic onto its own name. */
    default boolean isIdentity() {
        return false;
    }

    /** Destination topics have the source topics' names. The default. */
    static TopicNaming identity() {
        return IdentityNaming.INSTANCE;
    }

    /** Destination topics are named {@code prefix + sourceTopic}, e.g. {@code prefix("eu.")}. */
    static TopicNaming prefix(String prefix) {
        Objects.requireNonNull(prefix, "prefix");
        return new PrefixNaming(prefix);
    }

    /** The identity naming. */
    enum IdentityNaming implements TopicNaming {
        /** The only instance. */
        INSTANCE;

        @Override
        public String destinationTopic(String sourceTopic) {
            return sourceTopic;
        }

        @Override
        public boolean isIdentity() {
            return true;
        }

        @Override
        public String toString() {
            return "identity()";
        }
    }

    /**
     * A naming that puts a fixed prefix before every source topic name.
     *
     * @param prefix the prefix
     */
    record PrefixNaming(String prefix) implements TopicNaming {
        @Override
        public String destinationTopic(String sourceTopic) {
            return prefix + sourceTopic;
        }

        @Override
        public boolean isIdentity() {
            return prefix.isEmpty();
        }

        @Override
        public String toString() {
            return "prefix(\"" + prefix + "\")";
        }
    }
}
