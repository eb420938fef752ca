package dev.tablevault.tools;

import dev.tablevault.api.ExecutionListener;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarConsumer;
import me.tongfei.progressbar.ProgressBarStyle;

import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.text.DecimalFormat;
import java.time.Duration;
import java.time.temporal.ChronoUnit;

/**
 * The progress bar of {@code tv execute}, {@code resume} and {@code restart}: one bar per builder, on stderr,
 * with rows done, rows/s and the ETA. Closing it (again: no effect) finishes the bar and its line, so that what
 * is printed next starts a line. Used by one thread (the listener runs on the executing thread).
 */
final class Progress implements AutoCloseable {
    private final PrintStream target;
    private ProgressBar bar;
    private Console console;
    private String builder;

    private Progress(PrintStream target) {
        this.target = target;
    }

    /** A bar writing to {@code err}, or one that shows nothing when {@code show} is false. */
    static Progress of(boolean show, PrintWriter err) {
        return new Progress(show ? new PrintStream(new WriterStream(err), true, StandardCharsets.UTF_8) : null);
    }

    /** The listener to pass to the execution, or null when nothing is shown. */
    ExecutionListener listener() {
        return target == null ? null : this::update;
    }

    private void update(String name, int step, int steps, long rowsDone, long rows) {
        if (bar == null || !name.equals(builder)) {
            close();
            builder = name;
            console = new Console(new ConsoleProgressBarConsumer(target));
            // Rows committed before (a resume, carried-over values) count toward the bar, not toward the speed.
            bar = new ProgressBarBuilder().setTaskName((step + 1) + "/" + steps + " " + name)
                    .setInitialMax(Math.max(rows, 0)).setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(200)
                    .setUnit(" rows", 1).showSpeed(new DecimalFormat("#0.0")).setSpeedUnit(ChronoUnit.SECONDS)
                    .startsFrom(rowsDone, Duration.ZERO).setConsumer(console).build();
        }
        if (rows >= 0) {
            bar.maxHint(rows);
        }
        bar.stepTo(rowsDone);
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
            // ProgressBar.close skips ending the line when its final render is also its first (a bar closed
            // before its update thread ran, as on a loaded machine); it renders nothing after close returns.
            console.close();
            bar = null;
        }
    }

    /** The console consumer, closed (its line ended) once, by the bar or by {@link #close}. */
    private static final class Console implements ProgressBarConsumer {
        private final ConsoleProgressBarConsumer out;
        private boolean closed;

        Console(ConsoleProgressBarConsumer out) {
            this.out = out;
        }

        @Override
        public int getMaxRenderedLength() {
            return out.getMaxRenderedLength();
        }

        @Override
        public synchronized void accept(String rendered) {
            if (!closed) {
                out.accept(rendered);
            }
        }

        @Override
        public synchronized void close() {
            if (!closed) {
                closed = true;
                out.close();
            }
        }
    }

    /** Bytes to the command's error writer (picocli's, which tests capture). */
    private static final class WriterStream extends OutputStream {
        private final PrintWriter w;

        WriterStream(PrintWriter w) {
            this.w = w;
        }

        @Override
        public void write(int b) {
            w.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            w.write(new String(b, off, len, StandardCharsets.UTF_8));
        }

        @Override
        public void flush() {
            w.flush();
        }
    }
}
