package dev.tablevault.engine.torture;

import dev.tablevault.engine.TestBackend;
import dev.tablevault.engine.TestVault;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The torture: a child JVM runs random operations of every kind on several threads and is killed
 * ({@code kill -9}) at random moments; after each kill the vault, reopened with {@code restart(true)}, must hold
 * every acknowledged operation whole, each interrupted one whole or not at all, no process the model does not
 * know of, and pass {@code verify()} (see {@link TortureRun}, {@link TortureChecker}).
 *
 * <p>The default is a short run (20 kills, about a minute). A long run:
 * {@code ./mvnw -B -o verify -pl engine -am -Ptorture} (1,000 kills), or with
 * {@code -Dtest=TortureTest -Dsurefire.failIfNoSpecifiedTests=false -Dtorture.kills=N}; {@code -Dtorture.seed=S}
 * replays a seed (thread timing aside), {@code -Dtorture.threads=T} sets the worker threads (3), and
 * {@code -Dtorture.dir=D} keeps the vault and the history of what was applied in {@code D/<backend>} for inspection.
 *
 * <p>It runs on both backends ({@link TestBackend}) with the same checker. On PostgreSQL each child is a host with a
 * short lease ({@link TestVault#SHORT_LEASE}) that must end before the parent reopens, so a kill costs a few seconds
 * more: the default there is 3 kills ({@code -Dtorture.pg.kills=N} for more; the {@code torture} profile runs 200).
 */
class TortureTest {
    @TempDir
    Path tmp;

    @ParameterizedTest
    @EnumSource(TestBackend.class)
    void everyAcknowledgedOperationSurvivesKillsAtRandomMoments(TestBackend backend) throws IOException {
        long seed = Long.getLong("torture.seed", 20_261_129L);
        int kills = backend == TestBackend.ROCKSDB ? Integer.getInteger("torture.kills", 20)
                : Integer.getInteger("torture.pg.kills", 3);
        // -Dtorture.dir keeps the vault, the flag files and the history (one "operation => outcome" a line) there.
        Path work = System.getProperty("torture.dir") == null ? tmp
                : Path.of(System.getProperty("torture.dir")).resolve(backend.name().toLowerCase(Locale.ROOT));
        TortureRun.Figures f = new TortureRun(seed, Integer.getInteger("torture.threads", 3), work, backend)
                .run(kills);
        System.out.println(f.summary());
        f.violations().forEach(System.out::println);
        assertThat(f.violations()).as("violations on %s; replay with -Dtorture.seed=%d -D%s=%d", backend, seed,
                backend == TestBackend.ROCKSDB ? "torture.kills" : "torture.pg.kills", f.kills()).isEmpty();
        assertThat(f.kills()).isEqualTo(kills);
        assertThat(f.acknowledged()).as("acknowledged operations").isPositive();
    }
}
