package io.kmirror.cli;

import io.kmirror.cli.StatusLine.Sample;
import java.io.PrintStream;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * Shows the mirror's status while it runs. On a terminal: one line, redrawn in place with {@code \r}
 * every second (rates over the last 5 seconds), one column shorter than the terminal is wide, so it
 * never wraps (a wrapped line would leave a copy behind at every redraw). Otherwise: a plain, timestamped line every
 * {@code logInterval} (rates over that interval), so logs stay readable. Messages printed through
 * {@link #message} appear above the status line. Thread-safe.
 */
final class StatusDisplay implements AutoCloseable {

    static final Duration TERMINAL_REDRAW = Duration.ofSeconds(1);
    static final Duration LOG_INTERVAL = Duration.ofSeconds(30);
    private static final Duration RATE_WINDOW = Duration.ofSeconds(5);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private final Supplier<Sample> sampler;
    private final PrintStream out;
    private final boolean terminal;
    private final int width;
    private final boolean progress;
    private final Duration interval;
    private final Deque<Sample> window = new ArrayDeque<>();
    private final Object lock = new Object();
    private final AtomicBoolean closed = new AtomicBoolean();
    private ScheduledExecutorService thread;
    private int drawnLength; // guarded by lock; 0 when no status line is on screen

    /**
     * @param terminalColumns the width of the terminal {@code out} is, which understands {@code \r}; 0 when it is none
     * @param progress        show a progress bar ({@code --stop-when-caught-up}) instead of the running line
     * @param logInterval     how often a plain line is printed when not on a terminal
     */
    StatusDisplay(Supplier<Sample> sampler, PrintStream out, int terminalColumns, boolean progress, Duration logInterval) {
        this.sampler = sampler;
        this.out = out;
        this.terminal = terminalColumns > 0;
        this.width = terminalColumns - 1;
        this.progress = progress;
        this.interval = terminal ? TERMINAL_REDRAW : logInterval;
    }

    /** Starts showing the status. */
    void start() {
        window.add(sampler.get());
        thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "kmirror-status");
            t.setDaemon(true);
            return t;
        });
        long millis = interval.toMillis();
        thread.scheduleAtFixedRate(this::update, millis, millis, TimeUnit.MILLISECONDS);
    }

    /** Prints a line of its own, above the status line. */
    void message(String line) {
        synchronized (lock) {
            clearLine();
            out.println(line);
            out.flush();
        }
    }

    private void update() {
        Sample now = sampler.get();
        synchronized (lock) {
            Sample from = window.peekFirst();
            if (terminal) {
                String text = progress ? StatusLine.progress(from, now, width) : StatusLine.running(from, now, width);
                draw(text);
                window.addLast(now);
                while (now.nanos() - window.peekFirst().nanos() > RATE_WINDOW.toNanos()) {
                    window.removeFirst();
                }
            } else {
                String text = progress ? StatusLine.progress(from, now) : StatusLine.running(from, now);
                out.println(LocalDateTime.now().format(TIME) + " kmirror: " + text);
                out.flush();
                window.clear();
                window.add(now);
            }
        }
    }

    private void draw(String text) {
        out.print("\r" + text + " ".repeat(Math.max(0, drawnLength - text.length())));
        out.flush();
        drawnLength = text.length();
    }

    private void clearLine() {
        if (drawnLength > 0) {
            out.print("\r" + " ".repeat(drawnLength) + "\r");
            drawnLength = 0;
        }
    }

    /** Stops updating; on a terminal, draws the status line once more, leaves it on screen and ends it. */
    @Override
    public void close() {
        if (thread == null || !closed.compareAndSet(false, true)) {
            return;
        }
        thread.shutdownNow();
        try {
            thread.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (terminal) {
            update(); // the last word: e.g. 100% once caught up
        }
        synchronized (lock) {
            if (drawnLength > 0) {
                out.println();
                out.flush();
                drawnLength = 0;
            }
        }
    }
}
