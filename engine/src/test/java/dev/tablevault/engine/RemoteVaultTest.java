package dev.tablevault.engine;

import dev.tablevault.api.BuilderSpec;
import dev.tablevault.api.ColumnType;
import dev.tablevault.api.ErrorCode;
import dev.tablevault.api.ExecuteOptions;
import dev.tablevault.api.Frame;
import dev.tablevault.api.InstanceOptions;
import dev.tablevault.api.LockMode;
import dev.tablevault.api.OpOptions;
import dev.tablevault.api.ProcessState;
import dev.tablevault.api.ReadOptions;
import dev.tablevault.api.RowBuilder;
import dev.tablevault.api.RowCursor;
import dev.tablevault.api.StopOptions;
import dev.tablevault.api.TableOptions;
import dev.tablevault.api.TableVaultException;
import dev.tablevault.api.TvArgumentException;
import dev.tablevault.api.TvLockException;
import dev.tablevault.api.TvProcessException;
import dev.tablevault.api.Vault;
import dev.tablevault.api.VaultOptions;
import dev.tablevault.api.WriteOptions;
import dev.tablevault.engine.remote.RemoteVault;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * A vault owned by one vault object and used through another opened read-write in the same JVM (RocksDB's lock
 * refuses a second read-write open in one process as in two, so the second works through the owner's socket
 * exactly as another process would): every call answers as the owner's own, errors arrive with their class, code
 * and message, frames and rows stream both ways, and closing the owner hands ownership to the client.
 */
class RemoteVaultTest {
    @TempDir
    Path tmp;

    private static Frame rows(int n) {
        Frame.Builder f = Frame.builder().column("id", ColumnType.LONG).column("text", ColumnType.STRING)
                .column("when", ColumnType.TIMESTAMP).column("blob", ColumnType.BYTES).column("obj", ColumnType.OBJECT);
        for (int r = 0; r < n; r++) {
            f.row((long) r, r % 7 == 0 ? null : "row " + r, Instant.ofEpochSecond(r, r), new byte[] {(byte) r},
                    List.of(r, "x" + r));
        }
        return f.build();
    }

    @Test
    void everyCallWorksThroughTheOwnerAndFailsTheSame() {
        Path dir = tmp.resolve("v");
        try (Vault owner = TableVault.open(dir, VaultOptions.defaults().create(true));
             Vault client = TableVault.open(dir, VaultOptions.defaults().author("client"))) {
            assertThat(client).isInstanceOf(RemoteVault.class);
            String pid = client.createTable("t", TableOptions.defaults().description("d"));
            assertThat(owner.process(pid).author()).isEqualTo("client");
            assertThat(owner.tables()).containsExactly("t");
            assertThat(client.description("t").description()).isEqualTo("d");

            client.createInstance("t", InstanceOptions.defaults().externalEdit(true));
            Frame f = rows(10_000);
            client.writeInstance("t", f, WriteOptions.defaults());
            String id = client.instances("t", null, false).get(0);
            assertThat(client.dataframe("t", ReadOptions.latest())).isEqualTo(owner.dataframe("t", ReadOptions.latest()))
                    .isEqualTo(f);
            assertThat(client.description("t", id)).isEqualTo(owner.description("t", id));
            try (RowCursor c = client.rows("t", ReadOptions.id(id))) {
                assertThat(c.instanceId()).isEqualTo(id);
                assertThat(c.columns()).isEqualTo(f.columns());
                int n = 0;
                while (c.hasNext()) {
                    List<Object> row = c.next();
                    for (int col = 0; col < f.columnCount(); col++) {
                        assertThat(Frame.valueEquals(row.get(col), f.get(n, col))).isTrue();
                    }
                    n++;
                }
                assertThat(n).isEqualTo(10_000);
            }
            try (RowCursor early = client.rows("t", ReadOptions.id(id))) {
                assertThat(early.next().get(0)).isEqualTo(0L); // closed with rows left: the connection is dropped
            }
            assertThat(client.processHistory(100)).isEqualTo(owner.processHistory(100));
            assertThat(client.processLog(pid)).isEqualTo(owner.processLog(pid));
            assertThat(client.isProcessComplete(pid)).isTrue();
            assertThat(client.stats()).isEqualTo(owner.stats());
            assertThat(client.verify().ok()).isTrue();
            assertThat(client.artifactFolder("t", id)).isEqualTo(owner.artifactFolder("t", id));

            TvArgumentException exists = catchThrowableOfType(() -> client.createTable("t", TableOptions.defaults()),
                    TvArgumentException.class);
            TvArgumentException local = catchThrowableOfType(() -> owner.createTable("t", TableOptions.defaults()),
                    TvArgumentException.class);
            assertThat(exists.code()).isEqualTo(local.code()).isEqualTo(ErrorCode.ALREADY_EXISTS);
            assertThat(exists.getMessage()).isEqualTo(local.getMessage());
            TvProcessException unknown = catchThrowableOfType(() -> client.process("nope"), TvProcessException.class);
            assertThat(unknown.getMessage()).isEqualTo(catchThrowableOfType(() -> owner.process("nope"),
                    TvProcessException.class).getMessage());
            TvArgumentException nullOptions = catchThrowableOfType(() -> client.writeInstance("t", f, null),
                    TvArgumentException.class);
            assertThat(nullOptions.getMessage()).contains("options must not be null");
            TableVaultException nullFrame = catchThrowableOfType(() -> client.writeInstance("t", null,
                    WriteOptions.defaults()), TableVaultException.class);
            assertThat(nullFrame.getMessage()).isEqualTo(catchThrowableOfType(() -> owner.writeInstance("t", null,
                    WriteOptions.defaults()), TableVaultException.class).getMessage());
        }
    }

    @Test
    void aLockHeldByAPausedProcessCrossesWithItsHolder() {
        Path dir = tmp.resolve("v");
        RowBuilder failing = (ctx, row) -> {
            throw new IllegalStateException("boom at " + row);
        };
        try (Vault owner = TableVault.open(dir, VaultOptions.defaults().create(true).builder("failing", failing)
                .lockTimeout(Duration.ZERO));
             Vault client = TableVault.open(dir, VaultOptions.defaults())) {
            owner.createTable("t", TableOptions.defaults());
            owner.createInstance("t", InstanceOptions.defaults());
            owner.putBuilder("t", "base", BuilderSpec.fromYaml("name: t_index\ntype: index\nbuilder: range\n"
                    + "changedColumns: [id]\ntypes: {id: long}\narguments: {count: 10}\n"), OpOptions.defaults());
            owner.putBuilder("t", "base", BuilderSpec.fromYaml("name: text\ntype: column\nbuilder: failing\n"
                    + "changedColumns: [text]\n"), OpOptions.defaults());
            IllegalStateException boom = catchThrowableOfType(() -> owner.executeInstance("t",
                    ExecuteOptions.defaults().processId("held")), IllegalStateException.class);
            assertThat(boom).hasMessageStartingWith("boom");
            assertThat(client.activeProcesses().get("held").state()).isEqualTo(ProcessState.PAUSED);
            assertThat(client.locks()).isEqualTo(owner.locks()).anyMatch(l -> l.mode() == LockMode.EXCLUSIVE);

            TvLockException e = catchThrowableOfType(() -> client.deleteTable("t", OpOptions.defaults()),
                    TvLockException.class);
            TvLockException here = catchThrowableOfType(() -> owner.deleteTable("t", OpOptions.defaults()),
                    TvLockException.class);
            assertThat(e.code()).isEqualTo(here.code()).isEqualTo(ErrorCode.LOCK_HELD_BY_PAUSED);
            assertThat(e.holderId()).isEqualTo("held");
            assertThat(e.holderState()).isEqualTo(ProcessState.PAUSED);
            assertThat(e.holderError()).isEqualTo(here.holderError()).contains("boom");
            assertThat(e.resource()).isEqualTo(here.resource());
            assertThat(e.hint()).as("the remedy crosses as data, for tv to word").isNotNull().isEqualTo(here.hint());
            assertThat(e.getMessage()).isEqualTo(here.getMessage());

            client.stopProcess("held", StopOptions.defaults());
            assertThat(owner.activeProcesses()).isEmpty();
        }
    }

    @Test
    void anExecutionFromAClientRunsBuiltinsInTheOwnerItsOwnCodeInItselfAndReportsProgressToTheCaller() {
        Path dir = tmp.resolve("v");
        RowBuilder mine = (ctx, row) -> List.of("mine" + row);
        try (Vault owner = TableVault.open(dir, VaultOptions.defaults().create(true));
             Vault client = TableVault.open(dir, VaultOptions.defaults().builder("mine", mine))) {
            owner.createTable("t", TableOptions.defaults());
            owner.createInstance("t", InstanceOptions.defaults());
            owner.putBuilder("t", "base", BuilderSpec.fromYaml("name: t_index\ntype: index\nbuilder: range\n"
                    + "changedColumns: [id]\ntypes: {id: long}\narguments: {count: 100}\n"), OpOptions.defaults());
            owner.putBuilder("t", "base", BuilderSpec.fromYaml("name: text\ntype: column\nbuilder: template\n"
                    + "changedColumns: [text]\narguments: {template: 'T<<self.id[index]>>'}\n"), OpOptions.defaults());
            List<String> seen = new ArrayList<>();
            Thread caller = Thread.currentThread();
            client.executeInstance("t", ExecuteOptions.defaults().checkpointRows(10).listener((b, s, n, done, all) -> {
                assertThat(Thread.currentThread()).isSameAs(caller);
                seen.add(b + ":" + done);
            }));
            assertThat(seen).contains("text:100");
            assertThat(owner.dataframe("t", ReadOptions.latest()).column("text").get(5)).isEqualTo("T5");

            // a listener's own exception reaches the caller as the very object it threw
            owner.createInstance("t", InstanceOptions.defaults().version("v2"));
            owner.putBuilder("t", "v2", BuilderSpec.fromYaml("name: t_index\ntype: index\nbuilder: range\n"
                    + "changedColumns: [id]\ntypes: {id: long}\narguments: {count: 100}\n"), OpOptions.defaults());
            IllegalStateException mineToThrow = new IllegalStateException("listener says no");
            Throwable thrown = catchThrowableOfType(() -> client.executeInstance("t", ExecuteOptions.defaults()
                    .version("v2").processId("p2").listener((b, s, n, d, a) -> {
                        throw mineToThrow;
                    })), IllegalStateException.class);
            assertThat(thrown).isSameAs(mineToThrow);
            assertThat(owner.process("p2").state()).isEqualTo(ProcessState.PAUSED);

            // code registered only in the client runs in the client, called back by the owner
            owner.stopProcess("p2", StopOptions.defaults());
            owner.createInstance("t", InstanceOptions.defaults().version("v3"));
            owner.putBuilder("t", "v3", BuilderSpec.fromYaml("name: t_index\ntype: index\nbuilder: range\n"
                    + "changedColumns: [id]\ntypes: {id: long}\narguments: {count: 5}\n"), OpOptions.defaults());
            client.putBuilder("t", "v3", BuilderSpec.fromYaml("name: text\ntype: column\nbuilder: mine\n"
                    + "changedColumns: [text]\n"), OpOptions.defaults());
            client.executeInstance("t", ExecuteOptions.defaults().version("v3"));
            assertThat(owner.dataframe("t", ReadOptions.version("v3")).column("text"))
                    .containsExactly("mine0", "mine1", "mine2", "mine3", "mine4");
        }
    }

    @Test
    void closingTheOwnerHandsOwnershipToTheClient() {
        Path dir = tmp.resolve("v");
        Vault owner = TableVault.open(dir, VaultOptions.defaults().create(true));
        try (Vault client = TableVault.open(dir, VaultOptions.defaults())) {
            client.createTable("a", TableOptions.defaults());
            owner.close();
            client.createTable("b", TableOptions.defaults()); // no error: the owner said goodbye before the call
            assertThat(client.tables()).containsExactly("a", "b");
            assertThat(((RemoteVault) client).ownerPid()).isEqualTo(ProcessHandle.current().pid());
            try (Vault third = TableVault.open(dir, VaultOptions.defaults())) {
                assertThat(third).isInstanceOf(RemoteVault.class);
                third.createTable("c", TableOptions.defaults());
            }
        }
        try (Vault again = TableVault.open(dir, VaultOptions.defaults())) {
            assertThat(again).isInstanceOf(VaultImpl.class);
            assertThat(again.tables()).containsExactly("a", "b", "c");
        }
    }

    @Test
    void theVaultFolderAndTheSocketAreTheUsersAlone() throws Exception {
        Path dir = tmp.resolve("v");
        try (Vault owner = TableVault.open(dir, VaultOptions.defaults().create(true))) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwx------");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("owner.sock"))))
                    .isEqualTo("rw-------");
        }
        assertThat(dir.resolve("owner.sock")).doesNotExist();
    }

    @Test
    void restartThroughAnOwnerIsRefused() {
        Path dir = tmp.resolve("v");
        try (Vault owner = TableVault.open(dir, VaultOptions.defaults().create(true))) {
            TableVaultException e = catchThrowableOfType(() -> TableVault.open(dir, VaultOptions.defaults()
                    .restart(true)), TableVaultException.class);
            assertThat(e.code()).isEqualTo(ErrorCode.VAULT_LOCKED);
            assertThat(e.getMessage()).contains("restart(true)", "resumeProcess", "tv restart does so");
        }
    }
}
