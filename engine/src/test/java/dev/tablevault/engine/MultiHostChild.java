package dev.tablevault.engine;

import dev.tablevault.api.BuildContext;
import dev.tablevault.api.ExecuteOptions;
import dev.tablevault.api.RowBuilder;
import dev.tablevault.api.TableVaultException;
import dev.tablevault.api.Vault;
import dev.tablevault.api.VaultOptions;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Child-JVM host for {@link MultiHostScenariosTest}: opens the shared vault at {@code args[0]} as host {@code args[1]}
 * (local folder {@code args[2]}, a 2 s lease, adopting nothing) and executes table {@code stories} with process id
 * {@code args[3]}, checkpointing every 500 rows. Its builder ({@code "v<id>"}, as the test's) prints
 * {@code at <row>} at row {@code args[4]} and waits there for a line on stdin (the parent kills or stops it
 * meanwhile). The execution's end is printed as {@code OUTCOME COMMITTED} or {@code OUTCOME <error code>}, and the
 * JVM exits 0 after it.
 */
final class MultiHostChild {
    static final int CHECKPOINT_ROWS = 500;

    private MultiHostChild() {
    }

    public static void main(String[] args) {
        long waitAt = Long.parseLong(args[4]);
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        RowBuilder text = new RowBuilder() {
            @Override
            public List<Object> build(BuildContext ctx, long row) {
                if (row == waitAt) {
                    System.out.println("at " + row);
                    System.out.flush();
                    try {
                        in.readLine();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
                return List.of("v" + ctx.value("id", row));
            }
        };
        String outcome;
        try (Vault v = TableVault.open(args[0], VaultOptions.defaults().author("child").hostId(args[1])
                .localDir(Path.of(args[2])).leaseTtl(Duration.ofSeconds(2)).adoptOrphans(false)
                .builder("text", text))) {
            v.executeInstance("stories", ExecuteOptions.defaults().version("base").checkpointRows(CHECKPOINT_ROWS)
                    .checkpointMillis(3_600_000).processId(args[3]));
            outcome = "COMMITTED";
        } catch (TableVaultException e) {
            outcome = e.code() + " " + e.getMessage();
        }
        System.out.println("OUTCOME " + outcome);
        System.out.flush();
        System.exit(0);
    }
}
