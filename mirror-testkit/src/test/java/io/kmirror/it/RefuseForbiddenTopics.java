package io.kmirror.it;

import java.util.Map;
import org.apache.kafka.common.errors.PolicyViolationException;
import org.apache.kafka.server.policy.CreateTopicPolicy;

/** A destination broker's create-topic policy that refuses every topic whose name contains "forbidden". */
public final class RefuseForbiddenTopics implements CreateTopicPolicy {

    @Override
    public void validate(RequestMetadata request) {
        if (request.topic().contains("forbidden")) {
            throw new PolicyViolationException("topic " + request.topic() + " is forbidden here");
        }
    }

    @Override
    public void configure(Map<String, ?> configs) {
    }

    @Override
    public void close() {
    }
}
