package dev.tablevault.engine;

import dev.tablevault.api.BuildContext;
import dev.tablevault.api.ExecuteOptions;
import dev.tablevault.api.RowBuilder;
import dev.tablevault.api.Vault;
import dev.tablevault.api.VaultOptions;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * Child-JVM main for {@link SharedVaultCrashTest}: opens the shared vault at {@code args[0]} as host
 * {@code args[1]} (local folder {@code args[2]}, a 2 s lease) and executes table {@code stories} with process id
 * {@code args[3]}, checkpointing every 500 rows; its builder prints {@code blocked} at row {@value #BLOCK_AT} and
 * waits there for ever, for the parent to kill the JVM. Exits 4 if anything throws.
 */
final class SharedVaultChild {
    static final long BLOCK_AT = 1700;

    private SharedVaultChild() {
    }

    public static void main(String[] args) {
        CountDownLatch never = new CountDownLatch(1);
        RowBuilder blocking = new RowBuilder() {
            @Override
            public List<Object> build(BuildContext ctx, long row) throws InterruptedException {
                if (row == BLOCK_AT) {
                    System.out.println("blocked");
                    System.out.flush();
                    never.await();
                }
                return List.of("v" + ctx.value("id", row));
            }
        };
        try (Vault v = TableVault.open(args[0], VaultOptions.defaults().author("child").hostId(args[1])
                .localDir(Path.of(args[2])).leaseTtl(Duration.ofSeconds(2)).builder("text", blocking))) {
            v.executeInstance("stories", ExecuteOptions.defaults().checkpointRows(500).checkpointMillis(3_600_000)
                    .processId(args[3]));
        } catch (RuntimeException e) {
            e.printStackTrace(System.out);
            System.out.flush();
            System.exit(4);
        }
        System.exit(3);
    }
}
