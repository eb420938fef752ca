/**
 * The live board: a cache in {@code <vault>/board/} that shows the processes running now, with their progress,
 * to any OS process without opening RocksDB or asking the owner. Each runner JVM writes one Chronicle Map file of
 * its own, {@code <pid>-<start millis>.cm} ({@link Board}); readers ({@link BoardView}) read every file and judge
 * liveness from the file's writer ({@link dev.tablevault.engine.runner.RunnerId}) and each entry's heartbeat. Entries ({@link BoardEntry}) are
 * published by one heartbeat thread per vault; the process threads only write volatile fields ({@link Board.Live}).
 *
 * <p>The store stays the truth: deleting or damaging a board file loses nothing (a writer makes a new one, the
 * next read-write open republishes the store's active processes). Chronicle Map locks are shared memory that a
 * killed process never releases, so every lock here is taken with {@code tryLock}: a reader skips what a dead
 * writer left locked, and a writer that meets a lock it cannot take starts a fresh file. Chronicle needs JVM
 * flags on Java 17 ({@link ChronicleFlags}); without them the vault runs without a board and says so once.
 *
 * <p>May use {@code runner}, Chronicle Map and the JDK. Thread safety: {@link Board} and {@link Board.Live} are
 * thread safe; {@link BoardView} is a value; {@link BoardFile} is used by one thread at a time.
 */
package dev.tablevault.engine.board;
