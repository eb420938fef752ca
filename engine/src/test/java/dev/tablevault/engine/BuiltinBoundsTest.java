package dev.tablevault.engine;

import dev.tablevault.api.BuilderSpec;
import dev.tablevault.api.ColumnType;
import dev.tablevault.api.Durability;
import dev.tablevault.api.ErrorCode;
import dev.tablevault.api.ExecuteOptions;
import dev.tablevault.api.Frame;
import dev.tablevault.api.FrameBuilder;
import dev.tablevault.api.InstanceOptions;
import dev.tablevault.api.OpOptions;
import dev.tablevault.api.TableOptions;
import dev.tablevault.api.TvBuilderException;
import dev.tablevault.api.Vault;
import dev.tablevault.api.VaultOptions;
import dev.tablevault.api.WriteOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Built-ins check an argument's bounds before allocating anything from it: at {@code putBuilder} for a literal
 * (the cases in {@link BadInputTest#badSpecs}), at execution for a value a reference resolved to. An
 * {@code OutOfMemoryError} here would be caught by {@code catchThrowable} and fail the assertion, not the run.
 */
class BuiltinBoundsTest {
    private static final long HUGE = Integer.MAX_VALUE;
    private static final String INDEX = "name: t_index\ntype: index\nbuilder: range\nchangedColumns: [id]\n"
            + "types: {id: long}\n";

    @TempDir
    Path dir;

    private Vault open(VaultOptions options) {
        return TableVault.open(dir.resolve("v"), options.create(true).durability(Durability.NONE));
    }

    /** Table {@code limits} with one row: {@code n} = {@code value}. */
    private static void limits(Vault v, long value) {
        v.createTable("limits", TableOptions.defaults());
        v.createInstance("limits", InstanceOptions.defaults().version("v1").externalEdit(true));
        v.writeInstance("limits", Frame.builder().column("n", ColumnType.LONG).row(value).build(),
                WriteOptions.defaults().version("v1"));
    }

    static Stream<Arguments> referencedBounds() {
        return Stream.of(
                Arguments.of(List.of(INDEX + "arguments: {count: '<<limits.n>>'}\n"), "count", "0..10000000"),
                Arguments.of(List.of(INDEX + "arguments: {count: 1}\n", "name: word\ntype: column\nbuilder: random\n"
                        + "changedColumns: [word]\narguments: {length: '<<limits.n>>'}\n"), "length", "0..1000000"));
    }

    @ParameterizedTest(name = "[{index}] {1}")
    @MethodSource("referencedBounds")
    void aReferencedValueBeyondTheBoundFailsTheExecutionBeforeAllocating(List<String> specs, String argument,
                                                                          String bound) {
        try (Vault v = open(VaultOptions.defaults())) {
            limits(v, HUGE);
            v.createTable("t", TableOptions.defaults());
            v.createInstance("t", InstanceOptions.defaults());
            for (String s : specs) {
                v.putBuilder("t", "base", BuilderSpec.fromYaml(s), OpOptions.defaults());
            }
            Throwable t = catchThrowable(() -> v.executeInstance("t", ExecuteOptions.defaults()));
            assertThat(t).isExactlyInstanceOf(TvBuilderException.class);
            assertThat(((TvBuilderException) t).code()).isEqualTo(ErrorCode.BAD_BUILDER);
            assertThat(t.getMessage()).contains("argument '" + argument + "'", bound, "got " + HUGE);
            assertThat(v.instances("t", null, false)).isEmpty();
            assertThat(v.activeProcesses()).isEmpty();
        }
    }

    /** A referenced {@code start} whose last value would wrap around to negative numbers is refused. */
    @Test
    void aRangeThatWouldWrapPastTheLargestLongFailsTheExecution() {
        try (Vault v = open(VaultOptions.defaults())) {
            limits(v, Long.MAX_VALUE - 1);
            v.createTable("t", TableOptions.defaults());
            v.createInstance("t", InstanceOptions.defaults());
            v.putBuilder("t", "base", BuilderSpec.fromYaml(INDEX + "mode: generator\n"
                    + "arguments: {count: 3, start: '<<limits.n>>'}\n"), OpOptions.defaults());
            Throwable t = catchThrowable(() -> v.executeInstance("t", ExecuteOptions.defaults()));
            assertThat(t).isExactlyInstanceOf(TvBuilderException.class);
            assertThat(t.getMessage()).contains("argument 'start' " + (Long.MAX_VALUE - 1), "count 3",
                    "at most " + (Long.MAX_VALUE - 2));
            assertThat(v.instances("t", null, false)).isEmpty();
        }
    }

    /** The bound is the built-in's: an application's own builder of the same name takes any count. */
    @Test
    void anApplicationBuilderNamedLikeABuiltinIsNotBoundByIt() {
        FrameBuilder mine = ctx -> Frame.builder().column("id", ColumnType.LONG).row(1L).build();
        try (Vault v = open(VaultOptions.defaults().builder("range", mine))) {
            v.createTable("t", TableOptions.defaults());
            v.createInstance("t", InstanceOptions.defaults());
            v.putBuilder("t", "base", BuilderSpec.fromYaml("name: t_index\ntype: index\nbuilder: range\n"
                    + "changedColumns: [id]\ntypes: {id: long}\narguments: {count: " + HUGE + "}\n"),
                    OpOptions.defaults());
            assertThat(v.builders("t", "base")).isEqualTo(List.of("t_index"));
        }
    }
}
