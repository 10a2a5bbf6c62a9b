package io.kmirror.testkit.internal;

import java.io.OutputStream;
import java.io.PrintStream;

/**
 * Keeps what Kafka's storage formatter prints off standard output. {@code KafkaClusterTestKit.format()}
 * gives its {@code Formatter} no stream of its own, so the formatter writes "Formatting metadata
 * directory ..." and its bootstrap records to {@code System.out}, into the output of every test and
 * program that starts a cluster. While {@link #discard} runs, {@code System.out} drops what the calling
 * thread and the kit's own executor threads (which format the nodes in parallel) write, and passes every
 * other thread's output on unchanged; then it is put back.
 */
public final class FormattingOutput {

    /** How {@code KafkaClusterTestKit}'s thread factory names its threads. */
    private static final String KIT_THREAD_PREFIX = "kafka-cluster-test-kit-";

    private FormattingOutput() {
    }

    /** A step that may throw anything a cluster's start throws. */
    @FunctionalInterface
    public interface Step {
        /** Runs the step. */
        void run() throws Exception;
    }

    /**
     * Runs {@code step} with the calling thread's writes to {@code System.out} dropped.
     *
     * @param step e.g. {@code kit::format}
     * @throws Exception what the step throws
     */
    public static void discard(Step step) throws Exception {
        PrintStream original = System.out;
        Thread formatting = Thread.currentThread();
        PrintStream filtered = new PrintStream(new OutputStream() {
            @Override
            public void write(int b) {
                if (!formats(Thread.currentThread(), formatting)) {
                    original.write(b);
                }
            }

            @Override
            public void write(byte[] bytes, int offset, int length) {
                if (!formats(Thread.currentThread(), formatting)) {
                    original.write(bytes, offset, length);
                }
            }

            @Override
            public void flush() {
                original.flush();
            }
        }, true);
        System.setOut(filtered);
        try {
            step.run();
        } finally {
            if (System.out == filtered) {
                System.setOut(original);
            }
        }
    }

    private static boolean formats(Thread writer, Thread caller) {
        return writer == caller || writer.getName().startsWith(KIT_THREAD_PREFIX);
    }
}
