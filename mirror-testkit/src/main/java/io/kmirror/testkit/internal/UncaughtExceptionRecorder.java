package io.kmirror.testkit.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * Records exceptions that end a thread uncaught while it is installed as the JVM's default
 * uncaught-exception handler, and passes each on to the handler it replaced (or prints it as the JVM
 * does when there is none). {@link #uninstall()} puts the previous handler back.
 *
 * <p>The default handler is JVM-wide: installing one changes it for every thread until it is
 * uninstalled. Threads with a handler of their own (Kafka's client and broker threads set one) do not
 * reach it.
 */
public final class UncaughtExceptionRecorder implements Thread.UncaughtExceptionHandler {

    /**
     * One exception that ended a thread.
     *
     * @param thread the thread's name
     * @param exception the exception
     */
    public record Uncaught(String thread, Throwable exception) {
    }

    private final Thread.UncaughtExceptionHandler previous;
    private final List<Uncaught> recorded = new ArrayList<>(); // guarded by this

    private UncaughtExceptionRecorder(Thread.UncaughtExceptionHandler previous) {
        this.previous = previous;
    }

    /**
     * Installs a new recorder as the default uncaught-exception handler.
     *
     * @return the recorder
     */
    public static UncaughtExceptionRecorder install() {
        UncaughtExceptionRecorder recorder = new UncaughtExceptionRecorder(Thread.getDefaultUncaughtExceptionHandler());
        Thread.setDefaultUncaughtExceptionHandler(recorder);
        return recorder;
    }

    /** Puts the previous default handler back, unless another one replaced this recorder meanwhile. */
    public void uninstall() {
        synchronized (Thread.class) {
            if (Thread.getDefaultUncaughtExceptionHandler() == this) {
                Thread.setDefaultUncaughtExceptionHandler(previous);
            }
        }
    }

    /**
     * Returns the exceptions recorded so far.
     *
     * @return a copy, in the order they happened
     */
    public synchronized List<Uncaught> recorded() {
        return List.copyOf(recorded);
    }

    @Override
    public void uncaughtException(Thread thread, Throwable exception) {
        synchronized (this) {
            recorded.add(new Uncaught(thread.getName(), exception));
        }
        if (previous != null) {
            previous.uncaughtException(thread, exception);
        } else {
            System.err.print("Exception in thread \"" + thread.getName() + "\" ");
            exception.printStackTrace(System.err);
        }
    }
}
