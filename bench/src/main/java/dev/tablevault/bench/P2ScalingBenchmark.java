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
import org.openjdk.jmh.infra.ThreadParams;

import java.util.concurrent.TimeUnit;

/**
 * P2 (DESIGN.md section 10): throughput of independent small durable operations from 1, 4 and 16 threads in
 * SYNC mode; P2 passes when {@code tablevault_t16 / tablevault_t01} &ge; 5. Each thread works on its own
 * table names ({@code t<thread>_<k>}, created then deleted) in one shared vault, so the operations conflict
 * on nothing but the vault's commit path. Raw RocksDB synced batches and SQLite commits (one shared
 * connection) run alongside for comparison, and TableVault with {@code Durability.NONE} as a reference for
 * the engine's CPU ceiling (no fsync at all). JMH sums throughput over threads; a TableVault invocation is two
 * operations ({@code @OperationsPerInvocation(2)}), so every score is in operations per second.
 * {@code @Threads} cannot be a {@code @Param}, hence one method per thread count.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = {JvmFlags.OPEN_LANG, JvmFlags.OPEN_NIO, JvmFlags.OPEN_REFLECT,
        JvmFlags.EXPORT_NIO_CH, JvmFlags.EXPORT_REF, JvmFlags.EXPORT_JAVAC_FILE, JvmFlags.NATIVE_ACCESS,
        JvmFlags.NO_ANALYTICS, JvmFlags.NO_ANNOUNCER})
public class P2ScalingBenchmark {

    /** The worker's 0-based index among the benchmark's threads. */
    @State(Scope.Thread)
    public static class Worker {
        int index;

        @Setup(Level.Trial)
        public void setup(ThreadParams params) {
            index = params.getThreadIndex();
        }
    }

    @State(Scope.Benchmark)
    public static class Ours {
        OursTarget target;

        @Setup(Level.Trial)
        public void open() {
            target = new OursTarget(Durability.SYNC, "TableVault SYNC");
            Target.settle(target, Target.SETTLE_OPS);
        }

        @TearDown(Level.Trial)
        public void close() {
            target.close();
        }
    }

    @State(Scope.Benchmark)
    public static class Rocks {
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

    @Benchmark
    @Threads(1)
    @OperationsPerInvocation(2)
    public void tablevault_t01(Ours s, Worker w) {
        s.target.op(w.index); // createTable
        s.target.op(w.index); // deleteTable
    }

    @Benchmark
    @Threads(4)
    @OperationsPerInvocation(2)
    public void tablevault_t04(Ours s, Worker w) {
        s.target.op(w.index); // createTable
        s.target.op(w.index); // deleteTable
    }

    @Benchmark
    @Threads(16)
    @OperationsPerInvocation(2)
    public void tablevault_t16(Ours s, Worker w) {
        s.target.op(w.index); // createTable
        s.target.op(w.index); // deleteTable
    }

    @Benchmark
    @Threads(1)
    public void rocksdb_t01(Rocks s, Worker w) {
        s.target.op(w.index);
    }

    @Benchmark
    @Threads(4)
    public void rocksdb_t04(Rocks s, Worker w) {
        s.target.op(w.index);
    }

    @Benchmark
    @Threads(16)
    public void rocksdb_t16(Rocks s, Worker w) {
        s.target.op(w.index);
    }

    @Benchmark
    @Threads(1)
    public void sqlite_t01(Sqlite s, Worker w) {
        s.target.op(w.index);
    }

    @Benchmark
    @Threads(4)
    public void sqlite_t04(Sqlite s, Worker w) {
        s.target.op(w.index);
    }

    @Benchmark
    @Threads(16)
    public void sqlite_t16(Sqlite s, Worker w) {
        s.target.op(w.index);
    }

    @Benchmark
    @Threads(1)
    @OperationsPerInvocation(2)
    public void refTablevaultNoSync_t01(OursNone s, Worker w) {
        s.target.op(w.index);
        s.target.op(w.index);
    }

    @Benchmark
    @Threads(4)
    @OperationsPerInvocation(2)
    public void refTablevaultNoSync_t04(OursNone s, Worker w) {
        s.target.op(w.index);
        s.target.op(w.index);
    }

    @Benchmark
    @Threads(16)
    @OperationsPerInvocation(2)
    public void refTablevaultNoSync_t16(OursNone s, Worker w) {
        s.target.op(w.index);
        s.target.op(w.index);
    }
}
