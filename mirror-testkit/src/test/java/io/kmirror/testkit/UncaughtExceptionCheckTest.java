package io.kmirror.testkit;

import static io.kmirror.testkit.MirrorAssertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/**
 * {@link MirrorClusters} fails a test during which a thread died of an uncaught exception. (Not itself a
 * {@code @MirrorClusters} class: its own check would see the exception of the class it runs too.)
 */
class UncaughtExceptionCheckTest {

    @Test
    void anUncaughtException_failsTheTest_andTheHandlerIsPutBack() {
        Thread.UncaughtExceptionHandler before = Thread.getDefaultUncaughtExceptionHandler();

        EngineExecutionResults results = MirrorClustersExtensionIT.run(ThreadDiesOfAnException.class);

        assertThat(MirrorClustersExtensionIT.failureOf(results, "threadDies"))
                .hasMessage("1 thread(s) died of an uncaught exception during the test:\n"
                        + "  doomed: java.lang.IllegalStateException: boom")
                .satisfies(error -> assertThat(error.getSuppressed()).extracting(Throwable::getMessage).containsExactly("boom"));
        assertThat(Thread.getDefaultUncaughtExceptionHandler()).isSameAs(before);
    }

    /** Run only by {@link #anUncaughtException_failsTheTest_andTheHandlerIsPutBack()}; starts no cluster. */
    @MirrorClusters
    @EnabledIf("io.kmirror.testkit.MirrorClustersExtensionIT#runByEngineTestKit")
    static class ThreadDiesOfAnException {
        @Test
        void threadDies() throws InterruptedException {
            Thread doomed = new Thread(() -> {
                throw new IllegalStateException("boom");
            }, "doomed");
            doomed.start();
            doomed.join();
        }
    }
}
