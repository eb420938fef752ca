package dev.tablevault.engine;

import dev.tablevault.api.BuildContext;
import dev.tablevault.api.BuilderSpec;
import dev.tablevault.api.ColumnType;
import dev.tablevault.api.ErrorCode;
import dev.tablevault.api.ExecuteOptions;
import dev.tablevault.api.Frame;
import dev.tablevault.api.InstanceOptions;
import dev.tablevault.api.LogEntryInfo;
import dev.tablevault.api.OpOptions;
import dev.tablevault.api.ProcessInfo;
import dev.tablevault.api.ProcessState;
import dev.tablevault.api.ReadOptions;
import dev.tablevault.api.RowBuilder;
import dev.tablevault.api.TableOptions;
import dev.tablevault.api.TableVaultException;
import dev.tablevault.api.TvStorageException;
import dev.tablevault.api.Vault;
import dev.tablevault.api.VaultOptions;
import dev.tablevault.api.WriteOptions;
import dev.tablevault.engine.store.FileErrors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.fail;
import static org.assertj.core.api.Assertions.tuple;

/**
 * A full disk on a real file system: a tmpfs mounted for the test (this needs root, as the build runs here and
 * in CI; without it the test fails, saying so). A builder fills the disk in the middle of an execution; the
 * calls then fail with {@code DISK_FULL} and leave each process as documented; once the ballast is gone, the
 * same open vault writes again and everything finishes as if the disk had never been full.
 */
class DiskFullTest {
    /** Room for the vault and, once the ballast is gone, the 64 MiB RocksDB wants free before it resumes. */
    private static final String TMPFS_SIZE = "160m";
    private static final String PAGES = "pages";
    private static final int ROWS = 200;
    private static final int CHECKPOINT_ROWS = 100;
    /** The builder fills the disk when it reaches this row, after the first checkpoint. */
    private static final int FILL_AT = 100;
    /**
     * 32 KiB a row: the checkpoint after the fill rewrites its 1,024-row chunk whole (6.4 MiB), more than the
     * at most 4 MiB the WAL has preallocated (max_total_wal_size), so it meets the full disk.
     */
    private static final int ROW_CHARS = 32 * 1024;
    private static final ExecuteOptions RUN = ExecuteOptions.defaults().version("v1").processId("exec")
            .checkpointRows(CHECKPOINT_ROWS).checkpointMillis(3_600_000);

    @TempDir
    Path tmp;

    /** Row {@code r}'s text; at {@link #FILL_AT}, the first time, fills the disk holding {@link #ballast}. */
    static final class Filler implements RowBuilder {
        final AtomicReference<Path> ballast = new AtomicReference<>();

        @Override
        public List<Object> build(BuildContext ctx, long row) throws IOException {
            Path b = ballast.get();
            if (row == FILL_AT && b != null && ballast.compareAndSet(b, null)) {
                fill(b);
            }
            return List.of(Character.toString('a' + (int) (row % 26)).repeat(ROW_CHARS) + row);
        }
    }

    @Test
    void writesFailDiskFullAndTheOpenVaultResumesOnceSpaceIsFree() throws Exception {
        Frame expected = uninterrupted();
        Path mnt = Files.createDirectories(tmp.resolve("tmpfs"));
        mount(mnt);
        try {
            Path dir = mnt.resolve("v");
            Path ballast = mnt.resolve("ballast");
            Filler filler = new Filler();
            Frame note = Frame.builder().column("n", ColumnType.LONG).row(1L).row(2L).build();
            try (Vault v = TableVault.open(dir, options(filler).create(true))) {
                setUp(v);
                v.createTable("other", TableOptions.defaults());
                v.createTable("notes", TableOptions.defaults());
                v.createInstance("notes", InstanceOptions.defaults().version("base").externalEdit(true));
                v.writeInstance("notes", note, WriteOptions.defaults().version("base"));
                v.createInstance("notes", InstanceOptions.defaults().version("base").externalEdit(true));

                // (a) The builder fills the disk at row 100; the next checkpoint fails: paused, error recorded.
                filler.ballast.set(ballast);
                TvStorageException full = catchThrowableOfType(() -> v.executeInstance(PAGES, RUN),
                        TvStorageException.class);
                assertThat(full.code()).isEqualTo(ErrorCode.DISK_FULL);
                assertThat(full.getMessage()).contains("vault " + dir, "out of disk space", "free at least 64 MiB",
                        "retry");
                ProcessInfo exec = v.process("exec");
                assertThat(exec.state()).isEqualTo(ProcessState.PAUSED);
                assertThat(exec.error()).contains("DISK_FULL", "out of disk space");
                assertThat(v.locks()).isNotEmpty().allSatisfy(l -> {
                    assertThat(l.processId()).isEqualTo("exec");
                    assertThat(l.processState()).isEqualTo(ProcessState.PAUSED);
                });

                // (b) A write without a process id: reverting it cannot be written either, so it is marked.
                assertDiskFull(() -> v.writeInstance("notes", note, WriteOptions.defaults().version("base")));
                // (c) Simple operations, without and with an id; reads still work.
                assertDiskFull(() -> v.createTable("later", TableOptions.defaults()));
                assertDiskFull(() -> v.createInstance("other", InstanceOptions.defaults().processId("mk")));
                // A process whose pause is not yet written cannot run again until it is.
                TvStorageException blocked = catchThrowableOfType(() -> v.resumeProcess("exec"),
                        TvStorageException.class);
                assertThat(blocked.code()).isEqualTo(ErrorCode.DISK_FULL);
                assertThat(blocked.getMessage()).contains("process exec cannot run until its last state is written");
                assertThat(v.tables()).containsExactly("notes", "other", PAGES);
                assertThat(v.dataframe("notes", ReadOptions.latest())).isEqualTo(note);

                Map<String, ProcessInfo> active = v.activeProcesses();
                assertThat(active).hasSize(4).allSatisfy((id, p) -> {
                    assertThat(p.state()).isEqualTo(ProcessState.PAUSED);
                    assertThat(p.error()).contains("DISK_FULL");
                });
                assertThat(active.get("exec").error()).contains("the pause could not be written (DISK_FULL)");
                assertThat(active.get("mk").error()).contains("the pause could not be written (DISK_FULL)");
                assertThat(active.values()).filteredOn(p -> p.id().length() > 10)
                        .extracting(ProcessInfo::operation).containsExactlyInAnyOrder("writeInstance", "createTable");
                assertThat(active.values()).filteredOn(p -> p.id().length() > 10).allSatisfy(p ->
                        assertThat(p.error()).contains("the revert could not be written (DISK_FULL); the vault's"
                                + " next write call reverts it"));

                // Files outside RocksDB: the JDK's own ENOSPC failures are DISK_FULL. (RocksDB may have freed
                // some space since the fill, as it deleted obsolete files: fill again.)
                fill(ballast);
                assertThat(FileErrors.fileFailure(dir, "probe", catchThrowableOfType(
                        () -> Files.writeString(mnt.resolve("probe"), "x"), IOException.class)).code())
                        .isEqualTo(ErrorCode.DISK_FULL);
                assertThat(FileErrors.fileFailure(dir, "probe", catchThrowableOfType(
                        () -> Files.copy(dir.resolve("owner"), mnt.resolve("owner-copy")), IOException.class))
                        .code()).isEqualTo(ErrorCode.DISK_FULL);

                // Space again: the same open vault settles the marked processes, then resumes the execution.
                Files.delete(ballast);
                assertThat(Files.getFileStore(mnt).getUsableSpace()).as("free bytes: RocksDB resumes at 64 MiB")
                        .isGreaterThan(64L << 20);
                assertThat(v.executeInstance(PAGES, RUN)).isEqualTo("exec");
                assertThat(v.dataframe(PAGES, ReadOptions.version("v1"))).isEqualTo(expected);
                assertThat(v.process("exec").state()).isEqualTo(ProcessState.COMMITTED);

                ProcessInfo mk = v.process("mk");
                assertThat(mk.state()).isEqualTo(ProcessState.PAUSED);
                assertThat(mk.error()).contains("out of disk space").doesNotContain("could not be written");
                assertThat(v.activeProcesses()).containsOnlyKeys("mk");
                assertThat(v.processLog("mk")).extracting(LogEntryInfo::kind).containsExactly("BEGIN", "LOCKS");
                assertThat(v.verify().errors()).isEmpty();
                v.createInstance("other", InstanceOptions.defaults().processId("mk"));
                assertThat(v.process("mk").state()).isEqualTo(ProcessState.COMMITTED);

                assertSettled(v, note);
                v.createTable("later", TableOptions.defaults());
                assertThat(v.tables()).containsExactly("later", "notes", "other", PAGES);
            }
            try (Vault v = TableVault.open(dir, options(new Filler()))) {
                assertThat(v.dataframe(PAGES, ReadOptions.version("v1"))).isEqualTo(expected);
                assertThat(v.tables()).containsExactly("later", "notes", "other", PAGES);
                assertSettled(v, note);
            }
        } finally {
            unmount(mnt);
        }
    }

    /** Nothing active, every marked process reverted, the data as written, and verify clean. */
    private static void assertSettled(Vault v, Frame note) {
        assertThat(v.activeProcesses()).isEmpty();
        assertThat(v.locks()).isEmpty();
        assertThat(v.dataframe("notes", ReadOptions.latest())).isEqualTo(note);
        assertThat(v.instances("notes", null, true)).hasSize(2);
        List<ProcessInfo> history = v.processHistory(100);
        assertThat(history).filteredOn(p -> p.state() == ProcessState.REVERTED)
                .extracting(ProcessInfo::operation).containsExactlyInAnyOrder("writeInstance", "createTable");
        assertThat(history).filteredOn(p -> p.state() == ProcessState.REVERTED).allSatisfy(p -> {
            assertThat(p.error()).contains("out of disk space");
            assertThat(v.processLog(p.id())).extracting(LogEntryInfo::seq, LogEntryInfo::kind)
                    .containsExactly(tuple(0L, "BEGIN"), tuple(1L, "LOCKS"), tuple(2L, "END"));
        });
        assertThat(v.processLog("exec")).extracting(LogEntryInfo::kind).startsWith("BEGIN", "LOCKS").endsWith("END");
        assertThat(v.verify().errors()).isEmpty();
    }

    @Test
    void onlyNoSpaceIsDiskFull() {
        Path vault = tmp.resolve("v");
        TvStorageException full = FileErrors.fileFailure(vault, "cannot write " + vault.resolve("owner"),
                new FileSystemException(vault.resolve("owner").toString(), null, "No space left on device"));
        assertThat(full.code()).isEqualTo(ErrorCode.DISK_FULL);
        assertThat(full.getMessage()).contains("vault " + vault, "out of disk space", "owner", "free space");
        assertThat(FileErrors.fileFailure(vault, "w", new IOException("No space left on device")).code())
                .isEqualTo(ErrorCode.DISK_FULL);
        assertThat(FileErrors.fileFailure(vault, "w", new FileSystemException("f", null, "Permission denied")).code())
                .isEqualTo(ErrorCode.IO);
        assertThat(FileErrors.fileFailure(vault, "w", new IOException("Input/output error")).code())
                .isEqualTo(ErrorCode.IO);
    }

    private static VaultOptions options(Filler filler) {
        return VaultOptions.defaults().builder("filler", filler);
    }

    private static void setUp(Vault v) {
        v.createTable(PAGES, TableOptions.defaults());
        v.createInstance(PAGES, InstanceOptions.defaults().version("v1"));
        v.putBuilder(PAGES, "v1", BuilderSpec.fromYaml("name: pages_index\ntype: index\nbuilder: range\n"
                + "changedColumns: [id]\ntypes: {id: long}\narguments: {count: " + ROWS + "}\n"), OpOptions.defaults());
        v.putBuilder(PAGES, "v1", BuilderSpec.fromYaml("name: text\ntype: column\nbuilder: filler\n"
                + "changedColumns: [text]\n"), OpOptions.defaults());
    }

    /** The execution on an ordinary disk. */
    private Frame uninterrupted() {
        try (Vault v = TableVault.open(tmp.resolve("reference"), options(new Filler()).create(true))) {
            setUp(v);
            v.executeInstance(PAGES, RUN);
            return v.dataframe(PAGES, ReadOptions.version("v1"));
        }
    }

    private static void assertDiskFull(Runnable call) {
        TableVaultException e = catchThrowableOfType(call::run, TableVaultException.class);
        assertThat(e).as("the call should fail").isNotNull();
        assertThat(e.code()).isEqualTo(ErrorCode.DISK_FULL);
    }

    /**
     * Writes {@code ballast} until the file system is full: exact, whatever else holds space (a write the disk
     * has room for only in part writes that part, and the next one fails).
     */
    private static void fill(Path ballast) throws IOException {
        byte[] block = new byte[1 << 16];
        try (OutputStream out = Files.newOutputStream(ballast, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
            while (true) {
                out.write(block);
            }
        } catch (IOException e) {
            if (!"No space left on device".equals(e.getMessage())) {
                throw e;
            }
        }
    }

    private static void mount(Path mnt) throws IOException, InterruptedException {
        String out = run("mount", "-t", "tmpfs", "-o", "size=" + TMPFS_SIZE, "tmpfs", mnt.toString());
        if (out != null) {
            fail("this test mounts a " + TMPFS_SIZE + " tmpfs to fill it, which needs root (CAP_SYS_ADMIN): " + out);
        }
    }

    private static void unmount(Path mnt) throws IOException, InterruptedException {
        String out = run("umount", mnt.toString());
        if (out != null) {
            fail("cannot unmount the test's tmpfs at " + mnt + ": " + out);
        }
    }

    /** Runs a command; null when it succeeded, else its exit status and output. */
    private static String run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        int status = p.waitFor();
        return status == 0 ? null : String.join(" ", command) + " exited " + status + ": " + out;
    }
}
