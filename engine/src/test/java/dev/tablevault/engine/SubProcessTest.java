package dev.tablevault.engine;

import dev.tablevault.api.BuildContext;
import dev.tablevault.api.BuilderSpec;
import dev.tablevault.api.ErrorCode;
import dev.tablevault.api.ExecuteOptions;
import dev.tablevault.api.InstanceOptions;
import dev.tablevault.api.OpOptions;
import dev.tablevault.api.ProcessInfo;
import dev.tablevault.api.ProcessState;
import dev.tablevault.api.ReadOptions;
import dev.tablevault.api.RowBuilder;
import dev.tablevault.api.TableOptions;
import dev.tablevault.api.TvLockException;
import dev.tablevault.api.TvProcessException;
import dev.tablevault.api.Vault;
import dev.tablevault.api.VaultOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Builders writing through {@link BuildContext#vault()}: sub-processes of the execution, sharing its locks. */
@ParameterizedClass
@EnumSource(TestBackend.class)
class SubProcessTest {
    private static final String T = "agents";

    @Parameter
    TestBackend backend;

    @TempDir
    Path dir;

    private final AtomicReference<Vault> outer = new AtomicReference<>();
    private final AtomicReference<Vault> kept = new AtomicReference<>();

    /** Per row, creates a temporary instance of this very table (locked exclusively by the execution). */
    private final RowBuilder spawning = (BuildContext ctx, long row) -> {
        kept.set(ctx.vault());
        String version = "spawn" + row;
        String pid = ctx.processId() + "-row-" + row;
        if (!ctx.vault().isProcessComplete(pid)) { // idempotent across a resume
            ctx.vault().createInstance(T, InstanceOptions.defaults().version(version).processId(pid));
        }
        return List.of(version);
    };

    /** The same, through the application's own handle: no sharing. */
    private final RowBuilder outsider = (BuildContext ctx, long row) -> {
        outer.get().createInstance(T, InstanceOptions.defaults().version("outside" + row));
        return List.of("never");
    };

    private Vault open() {
        Vault v = backend.vault(dir, "v").create(VaultOptions.defaults()
                .lockTimeout(Duration.ZERO).builder("spawning", spawning).builder("outsider", outsider));
        outer.set(v);
        return v;
    }

    private static void setup(Vault v, String builder) {
        v.createTable(T, TableOptions.defaults().sideEffects(true));
        v.createInstance(T, InstanceOptions.defaults().version("main"));
        v.putBuilder(T, "main", BuilderSpec.fromYaml("name: agents_index\ntype: index\nbuilder: range\n"
                + "changedColumns: [id]\ntypes: {id: long}\narguments: {count: 3}\n"), OpOptions.defaults());
        v.putBuilder(T, "main", BuilderSpec.fromYaml("name: spawned\ntype: column\nbuilder: " + builder
                + "\nchangedColumns: [spawned]\n"), OpOptions.defaults());
    }

    @Test
    void writesThroughTheContextRunAsSubProcessesAndShareTheExecutionsLocks() {
        try (Vault v = open()) {
            setup(v, "spawning");
            String pid = v.executeInstance(T, ExecuteOptions.defaults().version("main").processId("exec-1"));
            assertThat(v.dataframe(T, ReadOptions.latest()).column("spawned"))
                    .containsExactly("spawn0", "spawn1", "spawn2");
            assertThat(v.instances(T, null, true)).contains("TEMP_spawn0", "TEMP_spawn1", "TEMP_spawn2");
            for (int r = 0; r < 3; r++) {
                ProcessInfo child = v.process(pid + "-row-" + r);
                assertThat(child.state()).isEqualTo(ProcessState.COMMITTED);
                assertThat(child.parentId()).isEqualTo(pid);
            }
            assertThat(v.process(pid).parentId()).isNull();
            assertThat(v.locks()).isEmpty();

            TvProcessException late = catchThrowableOfType(() -> kept.get().createTable("late",
                    TableOptions.defaults()), TvProcessException.class);
            assertThat(late.code()).isEqualTo(ErrorCode.PROCESS_STATE);
            assertThat(late.getMessage()).contains("exec-1").contains("no longer");
            kept.get().close(); // does nothing: the vault stays open
            assertThat(v.tables()).containsExactly(T);
        }
    }

    @Test
    void theApplicationsOwnHandleDoesNotShareTheLocks() {
        try (Vault v = open()) {
            setup(v, "outsider");
            TvLockException e = catchThrowableOfType(() -> v.executeInstance(T, ExecuteOptions.defaults()
                    .version("main")), TvLockException.class);
            assertThat(e.getMessage()).contains("table:agents");
            assertThat(v.instances(T, null, true)).containsExactly("TEMP_main");
        }
    }
}
