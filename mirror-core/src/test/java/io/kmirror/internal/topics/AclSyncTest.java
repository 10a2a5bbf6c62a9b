package io.kmirror.internal.topics;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.kafka.common.acl.AclOperation;
import org.junit.jupiter.api.Test;

class AclSyncTest {

    @Test
    void readAndDescribeAreCopied_allBecomesRead_nothingElseIs() {
        assertThat(AclSync.copiedOperation(AclOperation.READ)).isEqualTo(AclOperation.READ);
        assertThat(AclSync.copiedOperation(AclOperation.DESCRIBE)).isEqualTo(AclOperation.DESCRIBE);
        assertThat(AclSync.copiedOperation(AclOperation.ALL)).isEqualTo(AclOperation.READ);
        for (AclOperation never : new AclOperation[] {AclOperation.WRITE, AclOperation.CREATE, AclOperation.DELETE,
            AclOperation.ALTER, AclOperation.ALTER_CONFIGS, AclOperation.DESCRIBE_CONFIGS, AclOperation.IDEMPOTENT_WRITE}) {
            assertThat(AclSync.copiedOperation(never)).as(never.toString()).isNull();
        }
    }
}
