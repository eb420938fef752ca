package dev.tablevault.engine;

import dev.tablevault.api.BuilderSpec;
import dev.tablevault.api.Durability;
import dev.tablevault.api.ErrorCode;
import dev.tablevault.api.ExecuteOptions;
import dev.tablevault.api.InstanceOptions;
import dev.tablevault.api.OpOptions;
import dev.tablevault.api.ProcessInfo;
import dev.tablevault.api.ProcessState;
import dev.tablevault.api.TableOptions;
import dev.tablevault.api.TvBuilderException;
import dev.tablevault.api.Vault;
import dev.tablevault.api.VaultOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Bad arguments of the built-in builders found by the API fuzz: each used to escape as an untyped exception
 * (NegativeArraySizeException, OutOfMemoryError, NumberFormatException, NullPointerException,
 * InvalidPathException, IOException), and the OutOfMemoryError left the execution paused with its locks. Now
 * each is a BAD_BUILDER naming the builder and argument: refused at putBuilder when the argument is literal and
 * bounded there, else when the execution reads it, which then reverts.
 */
@ParameterizedClass
@EnumSource(TestBackend.class)
class BuiltinArgumentsTest {
    @Parameter
    TestBackend backend;

    @TempDir
    Path dir;

    @ParameterizedTest(name = "[{index}] {0}: {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "random|{length: -1}|'length' must be 0..1000000, got -1",
        "random|{length: 2147483647}|'length' must be 0..1000000, got 2147483647",
        "random|{length: 4294967297}|'length' must be 0..1000000, got 4294967297",
        "external|{failAtRows: [1, x]}|'failAtRows' must list row numbers, got 'x'",
        "external|{failAtRows: [null]}|'failAtRows' must list row numbers, got 'null'",
        "external|{failProbability: high}|'failProbability' must be a number, got 'high'",
        "external|{failWhileFileExists: \"a\\0b\"}|'failWhileFileExists' is not a path",
        "csv|{path: \"a\\0b\"}|'path' is not a path",
        "csv|{path: .}|is a directory; name a CSV file"})
    void badArgumentsAreBadBuilderAndRevert(String builder, String arguments, String message) {
        refusedAndReverted("name: c\ntype: column\nbuilder: " + builder + "\nchangedColumns: [c]\n"
                + (builder.equals("csv") ? "mode: whole-column\n" : "") + "arguments: " + arguments + "\n", message);
    }

    /** An artifact value is checked as a path when the instance materializes; a NUL used to escape untyped. */
    @Test
    void anArtifactValueThatIsNoPathIsBadBuilder() {
        refusedAndReverted("name: c\ntype: column\nbuilder: template\nchangedColumns: [c]\ntypes: {c: artifact}\n"
                + "arguments: {template: \"a\\0b\"}\n", "column 'c' row 0 names artifact 'a\0b', which is not a path");
    }

    /** Executes the column builder {@code spec} after a 3-row index: refused with {@code message}, reverted. */
    private void refusedAndReverted(String spec, String message) {
        try (Vault v = backend.vault(dir, "v").create(VaultOptions.defaults()
                .durability(Durability.NONE))) {
            v.createTable("t", TableOptions.defaults());
            v.createInstance("t", InstanceOptions.defaults().version("v"));
            v.putBuilder("t", "v", BuilderSpec.fromYaml("name: t_index\ntype: index\nbuilder: range\n"
                    + "changedColumns: [id]\ntypes: {id: long}\narguments: {count: 3}\n"), OpOptions.defaults());
            // A literal argument out of bounds is refused at putBuilder already; others when the execution reads them.
            Throwable atPut = catchThrowable(() -> v.putBuilder("t", "v", BuilderSpec.fromYaml(spec),
                    OpOptions.defaults()));
            Throwable t = atPut != null ? atPut
                    : catchThrowable(() -> v.executeInstance("t", ExecuteOptions.defaults().version("v")));

            assertThat(t).isExactlyInstanceOf(TvBuilderException.class);
            assertThat(((TvBuilderException) t).code()).isEqualTo(ErrorCode.BAD_BUILDER);
            assertThat(t.getMessage()).contains(message);
            assertThat(v.activeProcesses()).isEmpty();
            assertThat(v.locks()).isEmpty();
            if (atPut != null) {
                assertThat(v.builders("t", "v")).containsExactly("t_index");
            } else {
                // By operation, not position: the history orders processes ending in the same millisecond by id.
                assertThat(v.processHistory(10)).filteredOn(p -> p.operation().equals("executeInstance"))
                        .extracting(ProcessInfo::state).containsExactly(ProcessState.REVERTED);
            }
            assertThat(v.instances("t", null, false)).isEmpty();
        }
    }
}
