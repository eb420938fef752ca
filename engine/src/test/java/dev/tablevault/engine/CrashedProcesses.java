package dev.tablevault.engine;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Test helper for the {@code tv} tests: leaves a crashed execution in a vault, killing ({@code kill -9}) the
 * child JVM that ran it in the middle (this class sits in the engine's package to reach {@link OwnerChild}).
 */
public final class CrashedProcesses {
    /** The id of the crashed execution. */
    public static final String ID = "exec-kill";

    private CrashedProcesses() {
    }

    /**
     * Creates a vault with table {@code stories} whose execution of {@code rows} rows (column {@code text} =
     * {@code v<row>} by builder {@code slow}, checkpoints every {@code batch} rows) is killed at row
     * {@code stopAt}; returns the pid of the killed child.
     */
    public static long crashedExecution(Path vault, int rows, int batch, long stopAt) throws IOException {
        OwnerChild.prepareExecute(vault, rows);
        try (ChildJvm child = startExecution(vault, rows, batch, stopAt)) {
            child.awaitLine("AT ");
            child.kill();
            return child.process().pid();
        }
    }

    /** Starts the execution child; it prints {@code AT <stopAt>} and blocks there. */
    static ChildJvm startExecution(Path vault, int rows, int batch, long stopAt) throws IOException {
        return ChildJvm.start(OwnerChild.class, "execute", vault.toString(), Integer.toString(rows),
                Integer.toString(batch), Long.toString(stopAt));
    }
}
