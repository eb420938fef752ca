package dev.tablevault.bench;

import dev.tablevault.api.Durability;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * P1 (DESIGN.md section 10): the latency of one small durable operation in SYNC mode, one thread, against
 * one synced RocksDB batch and one SQLite commit, in the same JMH run.
 *
 * <ul>
 *   <li>{@code tablevaultSync}: one invocation is {@code createTable(t)} then {@code deleteTable(t)}, two
 *       operations; {@code @OperationsPerInvocation(2)} makes JMH report the time per operation.</li>
 *   <li>{@code rocksdbSyncedBatch}: one {@code WriteBatch} of a few small puts, {@code sync=true} (the
 *       target's baseline: P1 passes when tablevaultSync / rocksdbSyncedBatch &le; 1.5).</li>
 *   <li>{@code sqliteInsertCommit}: one INSERT + COMMIT, WAL, synchronous=FULL.</li>
 *   <li>{@code ref*}: the same without fsync, to separate CPU cost from disk cost; not part of the target.</li>
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 2)
@Threads(1)
@Fork(value = 1, jvmArgsAppend = {JvmFlags.OPEN_LANG, JvmFlags.OPEN_NIO, JvmFlags.OPEN_REFLECT,
        JvmFlags.EXPORT_NIO_CH, JvmFlags.EXPORT_REF, JvmFlags.EXPORT_JAVAC_FILE, JvmFlags.NATIVE_ACCESS,
        JvmFlags.NO_ANALYTICS, JvmFlags.NO_ANNOUNCER})
public class P1SmallOpBenchmark {

    @State(Scope.Benchmark)
    public static class OursSync {
        OursTarget target;

        @Setup(Level.Trial)
        public void open() {
            JvmFlags.warnIfWrong();
            target = new OursTarget(Durability.SYNC, "TableVault SYNC");
            Target.settle(target, Target.SETTLE_OPS);
        }

        @TearDown(Level.Trial)
        public void close() {
            target.close();
        }
    }

    @State(Scope.Benchmark)
    public static class OursNone {
        OursTarget target;

        @Setup(Level.Trial)
        public void open() {
            target = new OursTarget(Durability.NONE, "TableVault NONE");
            Target.settle(target, Target.SETTLE_OPS);
        }

        @TearDown(Level.Trial)
        public void close() {
            target.close();
        }
    }

    @State(Scope.Benchmark)
    public static class RocksSync {
        RawRocksTarget target;

        @Setup(Level.Trial)
        public void open() {
            target = new RawRocksTarget(true, true, "RocksDB synced batch");
            Target.settle(target, Target.SETTLE_OPS);
        }

        @TearDown(Level.Trial)
        public void close() {
            target.close();
        }
    }

    @State(Scope.Benchmark)
    public static class RocksNoSync {
        RawRocksTarget target;

        @Setup(Level.Trial)
        public void open() {
            target = new RawRocksTarget(false, true, "RocksDB batch, sync=false");
            Target.settle(target, Target.SETTLE_OPS);
        }

        @TearDown(Level.Trial)
        public void close() {
            target.close();
        }
    }

    @State(Scope.Benchmark)
    public static class Sqlite {
        SqliteTarget target;

        @Setup(Level.Trial)
        public void open() {
            target = new SqliteTarget("SQLite WAL FULL");
            Target.settle(target, Target.SETTLE_OPS);
        }

        @TearDown(Level.Trial)
        public void close() {
            target.close();
        }
    }

    @Benchmark
    @OperationsPerInvocation(2)
    public void tablevaultSync(OursSync s) {
        s.target.op(0); // createTable
        s.target.op(0); // deleteTable
    }

    @Benchmark
    public void rocksdbSyncedBatch(RocksSync s) {
        s.target.op(0);
    }

    @Benchmark
    public void sqliteInsertCommit(Sqlite s) {
        s.target.op(0);
    }

    @Benchmark
    @OperationsPerInvocation(2)
    public void refTablevaultNoSync(OursNone s) {
        s.target.op(0);
        s.target.op(0);
    }

    @Benchmark
    public void refRocksdbUnsyncedBatch(RocksNoSync s) {
        s.target.op(0);
    }
}
