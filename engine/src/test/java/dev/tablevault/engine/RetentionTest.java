package dev.tablevault.engine;

import dev.tablevault.api.BuildContext;
import dev.tablevault.api.BuilderSpec;
import dev.tablevault.api.Durability;
import dev.tablevault.api.ErrorCode;
import dev.tablevault.api.ExecuteOptions;
import dev.tablevault.api.InstanceOptions;
import dev.tablevault.api.OpOptions;
import dev.tablevault.api.ProcessInfo;
import dev.tablevault.api.ProcessState;
import dev.tablevault.api.RowBuilder;
import dev.tablevault.api.TableOptions;
import dev.tablevault.api.TvProcessException;
import dev.tablevault.api.Vault;
import dev.tablevault.api.VaultOptions;
import dev.tablevault.api.VaultStats;
import dev.tablevault.engine.store.Backend;
import dev.tablevault.engine.store.Family;
import dev.tablevault.engine.store.Keys;
import dev.tablevault.engine.store.rocks.RocksBackend;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.rocksdb.WriteBatch;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The retention of finished processes ({@code VaultOptions.keepFinishedProcesses/keepFinishedFor}): the newest N are
 * kept with their logs and the older ones trimmed whole (record, log, history entry), what an active process needs
 * is never trimmed, a crash during a trim leaves a consistent vault, and history entries written before they carried
 * their log's length are trimmed too.
 */
class RetentionTest {
    @TempDir
    Path tmp;

    /** Runs {@code n} createTable/deleteTable operations on tables {@code <prefix>0..}; returns their ids. */
    private static List<String> churn(Vault v, String prefix, int n) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ids.add(i % 2 == 0 ? v.createTable(prefix + i / 2, TableOptions.defaults())
                    : v.deleteTable(prefix + i / 2, OpOptions.defaults()));
        }
        return ids;
    }

    private static Backend store(Vault v) {
        return ((VaultImpl) v).store();
    }

    /** Process ids that still have a finished record, a history entry or a log entry in the store. */
    private static Set<String> storedPids(Backend s) {
        Set<String> out = new HashSet<>();
        s.scan(Family.PROC, Keys.prefix("H"), (k, v) -> out.add(Keys.parts(k)[1]));
        s.scan(Family.PROC, Keys.prefix("L"), (k, v) -> out.add(Keys.parts(k)[1]));
        s.scan(Family.PROC, new byte[]{'h', 0}, (k, v) -> out.add(Keys.historyPid(k)));
        return out;
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 20, 100})
    void keepsTheNewestNAndTrimsTheRestWhole(int keep) {
        int slack = Math.max(1, Math.min(256, keep / 8));
        try (Vault v = TableVault.open(tmp.resolve("v"), VaultOptions.defaults().create(true)
                .durability(Durability.NONE).keepFinishedProcesses(keep))) {
            List<String> ids = new ArrayList<>();
            List<long[]> times = new ArrayList<>(); // per operation: the clock before it started and after it returned
            for (int i = 0; i < 300; i++) {
                long before = System.currentTimeMillis();
                ids.add(i % 2 == 0 ? v.createTable("t" + i / 2, TableOptions.defaults())
                        : v.deleteTable("t" + i / 2, OpOptions.defaults()));
                times.add(new long[]{before, System.currentTimeMillis()});
            }
            List<ProcessInfo> history = v.processHistory(1000);
            assertThat(history.size()).isBetween(keep, keep + slack - 1);
            Set<String> kept = new HashSet<>();
            history.forEach(p -> kept.add(p.id()));
            assertThat(ids).containsAll(kept);
            for (String id : kept) {
                assertThat(v.processLog(id)).hasSize(3); // BEGIN, LOCKS, END: kept whole
            }
            Set<String> trimmed = new HashSet<>(ids);
            trimmed.removeAll(kept);
            for (int k = 0; k < ids.size(); k++) {
                for (int t = 0; t < ids.size(); t++) {
                    if (kept.contains(ids.get(k)) && trimmed.contains(ids.get(t))) {
                        assertThat(times.get(k)[1]).as("kept %s ended before trimmed %s started", k, t)
                                .isGreaterThanOrEqualTo(times.get(t)[0]);
                    }
                }
            }
            assertThat(storedPids(store(v))).as("nothing of a trimmed process is left")
                    .containsExactlyInAnyOrderElementsOf(kept);
            String old = ids.get(0);
            if (trimmed.contains(old)) {
                assertThat(v.isProcessComplete(old)).isFalse();
                TvProcessException e = catchThrowableOfType(() -> v.process(old), TvProcessException.class);
                assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND);
                assertThat(e.getMessage()).contains("were trimmed");
            }
            VaultStats s = v.stats();
            assertThat(s.trimmedProcesses()).isEqualTo(trimmed.size());
            assertThat(s.finishedProcesses()).isEqualTo(history.size());
            assertThat(s.retention()).isEqualTo("keep newest " + String.format("%,d", keep));
            assertThat(v.verify().errors()).isEmpty();
        }
    }

    @Test
    void theDefaultKeepsTenThousandAndMaxValueKeepsAll() {
        assertThat(VaultOptions.defaults().keepFinishedProcesses()).isEqualTo(10_000);
        assertThat(VaultOptions.defaults().keepFinishedFor()).isNull();
        assertThatThrownBy(() -> VaultOptions.defaults().keepFinishedProcesses(-1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-1");
        assertThatThrownBy(() -> VaultOptions.defaults().keepFinishedFor(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class);
        try (Vault v = TableVault.open(tmp.resolve("all"), VaultOptions.defaults().create(true)
                .durability(Durability.NONE).keepFinishedProcesses(Integer.MAX_VALUE))) {
            churn(v, "t", 200);
            assertThat(v.processHistory(1000)).hasSize(200);
            assertThat(v.stats().trimmedProcesses()).isZero();
        }
    }

    @Test
    void anAgeLimitTrimsWhatEndedBeforeItHoweverFew() {
        try (Vault v = TableVault.open(tmp.resolve("age"), VaultOptions.defaults().create(true)
                .durability(Durability.NONE).keepFinishedProcesses(Integer.MAX_VALUE).keepFinishedFor(Duration.ZERO))) {
            List<String> ids = churn(v, "t", 10);
            long lastEnd = v.process(ids.get(ids.size() - 1)).updated().toEpochMilli();
            while (System.currentTimeMillis() <= lastEnd) {
                Thread.onSpinWait(); // until the clock passed the last end: then all ten are older than the limit
            }
            String last = v.createTable("after", TableOptions.defaults());
            // The ten are trimmed; the last one too once the clock moved past its end before its own run's check.
            assertThat(v.processHistory(100).stream().map(ProcessInfo::id)).doesNotContainAnyElementsOf(ids)
                    .isSubsetOf(last);
            assertThat(v.stats().trimmedProcesses()).isBetween(10L, 11L);
            assertThat(v.stats().retention()).isEqualTo("keep newest 2,147,483,647, at most PT0S");
        }
        try (Vault v = TableVault.open(tmp.resolve("day"), VaultOptions.defaults().create(true)
                .durability(Durability.NONE).keepFinishedProcesses(Integer.MAX_VALUE).keepFinishedFor(Duration.ofDays(1)))) {
            churn(v, "t", 50);
            assertThat(v.processHistory(100)).hasSize(50);
        }
    }

    /** Per row, a sub-process with an id derived from the row; fails once at row 2 (an error from outside). */
    private static RowBuilder spawning(AtomicBoolean failOnce) {
        return (BuildContext ctx, long row) -> {
            String pid = ctx.processId() + "-row-" + row;
            if (!ctx.vault().isProcessComplete(pid)) {
                ctx.vault().createTable("sub" + row, TableOptions.defaults().processId(pid));
            }
            if (row == 2 && failOnce.getAndSet(false)) {
                throw new IllegalStateException("external failure at row 2");
            }
            return List.of("r" + row);
        };
    }

    @Test
    void subProcessesOfAPausedProcessAreKeptUntilItEnds() {
        AtomicBoolean failOnce = new AtomicBoolean(true);
        try (Vault v = TableVault.open(tmp.resolve("sub"), VaultOptions.defaults().create(true)
                .durability(Durability.NONE).keepFinishedProcesses(0).builder("spawning", spawning(failOnce)))) {
            v.createTable("agents", TableOptions.defaults());
            v.createInstance("agents", InstanceOptions.defaults().version("main"));
            v.putBuilder("agents", "main", BuilderSpec.fromYaml("name: agents_index\ntype: index\nbuilder: range\n"
                    + "changedColumns: [id]\ntypes: {id: long}\narguments: {count: 3}\n"), OpOptions.defaults());
            v.putBuilder("agents", "main", BuilderSpec.fromYaml("name: spawned\ntype: column\nbuilder: spawning\n"
                    + "changedColumns: [spawned]\n"), OpOptions.defaults());
            assertThatThrownBy(() -> v.executeInstance("agents", ExecuteOptions.defaults().version("main")
                    .processId("exec-1"))).hasMessageContaining("external failure");
            assertThat(v.process("exec-1").state()).isEqualTo(ProcessState.PAUSED);
            churn(v, "t", 50); // trims everything else: keep 0
            for (int r = 0; r < 3; r++) {
                assertThat(v.isProcessComplete("exec-1-row-" + r)).as("row %d's sub-process", r).isTrue();
            }
            v.resumeProcess("exec-1");
            assertThat(v.tables()).contains("sub0", "sub1", "sub2"); // each created once: a resume found them done
            churn(v, "u", 4);
            for (int r = 0; r < 3; r++) {
                assertThat(v.isProcessComplete("exec-1-row-" + r)).as("row %d's sub-process, parent ended", r).isFalse();
            }
            assertThat(v.verify().errors()).isEmpty();
        }
    }

    @Test
    void historyEntriesWrittenBeforeTheyCarriedTheLogLengthAreTrimmedWhole() throws Exception {
        Path dir = tmp.resolve("old");
        List<String> ids;
        try (Vault v = TableVault.open(dir, VaultOptions.defaults().create(true).durability(Durability.NONE)
                .keepFinishedProcesses(Integer.MAX_VALUE))) {
            ids = churn(v, "t", 40);
            RocksBackend s = (RocksBackend) store(v);
            try (WriteBatch b = new WriteBatch()) { // as an engine before this retention wrote them: empty values
                s.scan(Family.PROC, new byte[]{'h', 0}, (k, val) -> {
                    try {
                        b.put(s.handle(Family.PROC), k, new byte[0]);
                    } catch (org.rocksdb.RocksDBException e) {
                        throw new AssertionError(e);
                    }
                    return true;
                });
                s.write(b);
            }
        }
        try (Vault v = TableVault.open(dir, VaultOptions.defaults().durability(Durability.NONE)
                .keepFinishedProcesses(5))) {
            String last = v.createTable("new", TableOptions.defaults());
            List<ProcessInfo> history = v.processHistory(100);
            assertThat(history).hasSize(5);
            assertThat(history.get(0).id()).isEqualTo(last);
            assertThat(ids).containsAll(history.subList(1, 5).stream().map(ProcessInfo::id).toList());
            assertThat(storedPids(store(v))).as("nothing of a trimmed process is left")
                    .containsExactlyInAnyOrderElementsOf(history.stream().map(ProcessInfo::id).toList());
            assertThat(v.verify().errors()).isEmpty();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"trim.commit", "trim.committed"})
    void aCrashDuringATrimLeavesEveryProcessWholeOrGone(String point) throws Exception {
        Path dir = tmp.resolve("crash");
        try (Vault v = TableVault.open(dir, VaultOptions.defaults().create(true))) {
            v.tables();
        }
        int done;
        try (ChildJvm child = ChildJvm.start(RetentionChild.class, dir.toString(), "4", point)) {
            int exit = child.waitExit();
            assertThat(exit).as("the child must halt at %s:\n%s", point, child.output()).isEqualTo(137);
            done = (int) child.output().lines().filter(l -> l.startsWith("done ")).count();
        }
        int ended = done + 1; // the operation whose run triggered the trim had committed
        try (Vault v = TableVault.open(dir, VaultOptions.defaults().keepFinishedProcesses(4))) {
            List<ProcessInfo> history = v.processHistory(1000);
            long trimmed = v.stats().trimmedProcesses();
            assertThat(trimmed).isEqualTo(point.equals("trim.commit") ? 0 : ended - history.size());
            assertThat(history.size() + trimmed).isEqualTo(ended);
            for (ProcessInfo p : history) {
                assertThat(v.processLog(p.id())).as("log of %s", p.id()).hasSize(3);
            }
            assertThat(storedPids(store(v))).containsExactlyInAnyOrderElementsOf(
                    history.stream().map(ProcessInfo::id).toList());
            assertThat(v.verify().errors()).isEmpty();
            churn(v, "after", 20); // the next trims go on from where the crash left them
            assertThat(v.processHistory(1000).size()).isBetween(4, 4);
            assertThat(v.stats().trimmedProcesses() + v.processHistory(1000).size()).isEqualTo(ended + 20);
        }
    }
}
