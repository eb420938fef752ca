package dev.tablevault.engine.torture;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;

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
 * {@code -Dtorture.dir=D} keeps the vault and the history of what was applied in {@code D} for inspection.
 */
class TortureTest {
    @TempDir
    Path tmp;

    @Test
    void everyAcknowledgedOperationSurvivesKillsAtRandomMoments() throws IOException {
        long seed = Long.getLong("torture.seed", 20_261_129L);
        int kills = Integer.getInteger("torture.kills", 20);
        // -Dtorture.dir keeps the vault, the flag files and the history (one "operation => outcome" a line) there.
        Path work = System.getProperty("torture.dir") == null ? tmp : Path.of(System.getProperty("torture.dir"));
        TortureRun.Figures f = new TortureRun(seed, Integer.getInteger("torture.threads", 3), work).run(kills);
        System.out.println(f.summary());
        f.violations().forEach(System.out::println);
        assertThat(f.violations()).as("violations; replay with -Dtorture.seed=%d -Dtorture.kills=%d", seed, f.kills())
                .isEmpty();
        assertThat(f.kills()).isEqualTo(kills);
        assertThat(f.acknowledged()).as("acknowledged operations").isPositive();
    }
}
