package dev.tablevault.engine.process;

import dev.tablevault.api.ErrorCode;
import dev.tablevault.api.ProcessState;
import dev.tablevault.api.TvProcessException;
import dev.tablevault.api.Vault;
import dev.tablevault.api.VaultOptions;
import dev.tablevault.engine.TableVault;
import dev.tablevault.engine.codec.Records.ProcessRecord;
import dev.tablevault.engine.codec.Records.StopArgs;
import dev.tablevault.engine.store.Batch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The process life cycle table ({@link ProcessStates}): a change outside it is refused, also on the real save
 * paths (checkpoint, commit, revert), before anything is written; its final states are the API's; and
 * docs/ARCHITECTURE.md holds the diagram rendered from it.
 */
class ProcessStatesTest {
    private static final Path DOCS = Path.of("..", "docs", "ARCHITECTURE.md");

    @TempDir
    Path dir;

    /** Every (saved state or null, new state) pair, with whether the table allows it. */
    static Stream<Arguments> pairs() {
        List<ProcessState> froms = new ArrayList<>(Arrays.asList(ProcessState.values()));
        froms.add(0, null);
        List<Arguments> out = new ArrayList<>();
        for (ProcessState from : froms) {
            for (ProcessState to : ProcessState.values()) {
                out.add(Arguments.of(from, to, ProcessStates.find(from, to) != null));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} -> {1} allowed: {2}")
    @MethodSource("pairs")
    void checkRefusesExactlyTheChangesOutsideTheTable(ProcessState from, ProcessState to, boolean allowed) {
        if (allowed) {
            assertThatCode(() -> ProcessStates.check("p-1", from, to)).doesNotThrowAnyException();
            return;
        }
        TvProcessException e = catchThrowableOfType(() -> ProcessStates.check("p-1", from, to),
                TvProcessException.class);
        assertThat(e.code()).isEqualTo(ErrorCode.PROCESS_STATE);
        assertThat(e.getMessage()).contains("engine error", "p-1", "from " + (from == null ? "nothing saved" : from),
                "to " + to);
    }

    @Test
    void theTableRefusesWhatTheCodeNeverDoes() {
        // Spot checks of the table's content: a final state is left never, SETUP never commits, and a process
        // past its setup never goes back to it.
        for (ProcessState f : List.of(ProcessState.COMMITTED, ProcessState.REVERTED, ProcessState.STOPPED,
                ProcessState.MATERIALIZED)) {
            for (ProcessState to : ProcessState.values()) {
                assertThat(ProcessStates.find(f, to)).as(f + " -> " + to).isNull();
            }
        }
        assertThat(ProcessStates.find(ProcessState.SETUP, ProcessState.COMMITTED)).isNull();
        assertThat(ProcessStates.find(ProcessState.RUNNING, ProcessState.SETUP)).isNull();
        assertThat(ProcessStates.TABLE).doesNotHaveDuplicates()
                .extracting(t -> t.from() + ">" + t.to()).doesNotHaveDuplicates();
    }

    @ParameterizedTest
    @EnumSource(ProcessState.class)
    void finalStatesAreTheApisAndEveryStateCanBeReached(ProcessState s) {
        assertThat(ProcessStates.isFinal(s)).isEqualTo(s.isFinal());
        assertThat(ProcessStates.find(null, s)).isNotNull();
    }

    /** A context for process {@code p} whose saved record is in {@code state}. */
    private static ProcessContext savedAs(OpenVault ov, ProcessState state) {
        ProcessContext ctx = new ProcessContext(ov, "p", new StopOp(new StopArgs("other", false, false)), true, "d",
                null);
        ctx.resumeFrom(new ProcessRecord("p", "stopProcess", state, "me", null, 1L, 2L, null, 1, 0, "d", 1L, 0L, true,
                state != ProcessState.SETUP), List.of());
        return ctx;
    }

    @Test
    void anIllegalChangeOnASavePathIsRefusedBeforeAnythingIsWritten() {
        try (Vault v = TableVault.open(dir.resolve("v"), VaultOptions.defaults().create(true))) {
            OpenVault ov = (OpenVault) v;
            Processes procs = ov.processes();

            ProcessContext committed = savedAs(ov, ProcessState.COMMITTED);
            TvProcessException e = catchThrowableOfType(() -> {
                Batch b = new Batch();
                committed.checkpoint(b, "step", null, ProcessState.RUNNING);
            }, TvProcessException.class);
            assertThat(e).as("checkpoint of a committed process").isNotNull();
            assertThat(e.code()).isEqualTo(ErrorCode.PROCESS_STATE);
            assertThat(e.getMessage()).contains("from COMMITTED to RUNNING");
            e = catchThrowableOfType(() -> {
                Batch b = new Batch();
                ProcessLog.end(committed, b, ProcessState.REVERTED, "boom");
            }, TvProcessException.class);
            assertThat(e.getMessage()).contains("from COMMITTED to REVERTED");

            ProcessContext staging = savedAs(ov, ProcessState.SETUP);
            e = catchThrowableOfType(() -> staging.commit(b -> { }), TvProcessException.class);
            assertThat(e.getMessage()).contains("from SETUP to COMMITTED");

            assertThat(procs.active("p")).isNull();
            assertThat(procs.finished("p")).isNull();
            assertThat(procs.log("p")).isEmpty();
        }
    }

    @Test
    void theDocsHoldTheDiagramRenderedFromTheTable() throws IOException {
        String docs = Files.readString(DOCS, StandardCharsets.UTF_8);
        String block = ProcessStates.docsBlock();
        String begin = block.substring(0, block.indexOf('\n'));
        assertThat(docs.split(java.util.regex.Pattern.quote(begin), -1)).as("one begin marker").hasSize(2);
        assertThat(docs).as("docs/ARCHITECTURE.md must hold the rendered table; regenerate it with the main of"
                + " ProcessStates (see its Javadoc)").contains(block);
        int heading = docs.indexOf("\n## Process states\n");
        assertThat(heading).isNotNegative();
        assertThat(docs.substring(heading + 1, docs.indexOf(block))).doesNotContain("\n#");
    }
}
