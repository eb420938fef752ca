package dev.tablevault.engine;

import dev.tablevault.api.ExecuteOptions;
import dev.tablevault.api.RowBuilder;
import dev.tablevault.api.Vault;
import dev.tablevault.api.VaultOptions;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * Child-JVM main for {@link ThreadedRowsTest}: {@code DIR ROWS} executes the prepared table as process
 * {@link #PID} on its 32 threads, checkpoints of 50 rows, printing {@code DONE <committed rows>} after each
 * checkpoint; rows from {@link #BLOCKED} on wait forever, so the run never ends and the parent kills it.
 */
final class ThreadedRowsChild {
    static final String PID = "threads-crash";
    /** The first row that never finishes; not a multiple of the checkpoint, so finished rows stay uncommitted. */
    static final int BLOCKED = 1234;

    private ThreadedRowsChild() {
    }

    public static void main(String[] args) throws Exception {
        CountDownLatch never = new CountDownLatch(1);
        RowBuilder b = (ctx, row) -> {
            if (row >= BLOCKED) {
                never.await();
            }
            return List.of("v" + row);
        };
        try (Vault v = TableVault.open(Path.of(args[0]), VaultOptions.defaults().builder("b", b))) {
            v.executeInstance(ThreadedRowsTest.T, ExecuteOptions.defaults().processId(PID).checkpointRows(50)
                    .checkpointMillis(3_600_000).listener((builder, step, steps, done, all) -> {
                        if (step == 1) {
                            System.out.println("DONE " + done);
                            System.out.flush();
                        }
                    }));
        }
    }
}
