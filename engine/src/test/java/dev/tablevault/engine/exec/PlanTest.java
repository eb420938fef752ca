package dev.tablevault.engine.exec;

import dev.tablevault.api.Builder;
import dev.tablevault.api.Column;
import dev.tablevault.api.ColumnType;
import dev.tablevault.api.ErrorCode;
import dev.tablevault.api.Frame;
import dev.tablevault.api.FrameBuilder;
import dev.tablevault.api.RowBuilder;
import dev.tablevault.api.TableVaultException;
import dev.tablevault.api.TvBuilderException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link Plan}: the order builders run in, the checks on their specs, and finding their code. */
class PlanTest {
    private static final FrameBuilder WHOLE = ctx -> Frame.ofColumns(List.of(), List.of());
    private static final RowBuilder ROW = (ctx, row) -> List.of();

    private static Spec index(String... columns) {
        return spec("t_index", true, "whole", "whole-column", columns(columns), List.of());
    }

    private static Spec builder(String name, List<String> columns, String... deps) {
        return spec(name, false, "row", "row-wise", columns(columns.toArray(String[]::new)), List.of(deps));
    }

    private static Spec spec(String name, boolean index, String code, String mode, List<Column> columns,
                             List<String> deps) {
        return new Spec(name, index, code, columns, Map.of(), null, deps, mode, 1, "", List.of(), false);
    }

    private static List<Column> columns(String... names) {
        return Arrays.stream(names).map(n -> new Column(n, ColumnType.STRING)).toList();
    }

    private static List<String> names(List<Spec> specs) {
        return specs.stream().map(Spec::name).toList();
    }

    private static List<String> order(Spec... specs) {
        return names(Plan.order("t", "v1", List.of(specs)));
    }

    private static void bad(ErrorCode code, String message, Runnable r) {
        assertThatThrownBy(r::run).isInstanceOf(TvBuilderException.class)
                .satisfies(e -> assertThat(((TableVaultException) e).code()).isEqualTo(code))
                .hasMessageContaining(message);
    }

    @Test
    void theIndexRunsFirstThenBuildersInNameOrderWithoutDependencies() {
        assertThat(order(builder("c", List.of("c")), builder("a", List.of("a")), index("id"),
                builder("b", List.of("b")))).containsExactly("t_index", "a", "b", "c");
    }

    @Test
    void aBuilderRunsAfterTheBuildersItDependsOnByNameOrByColumn() {
        // a needs z (by name) and z needs the column y builds; self.index and external ones impose nothing.
        assertThat(order(index("id"), builder("a", List.of("a1"), "z", "self.index", "other.col", "other(v2)"),
                builder("y", List.of("y1", "y2")), builder("z", List.of("z1"), "self.y2")))
                .containsExactly("t_index", "y", "z", "a");
    }

    @Test
    void layoutAndStepsPlaceColumnsInPlanOrder() {
        List<Spec> specs = List.of(builder("a", List.of("a1"), "self.b2"), index("id", "k"),
                builder("b", List.of("b1", "b2")));
        List<Column> expected = columns("id", "k", "b1", "b2", "a1");
        assertThat(Plan.layout("t", "v1", specs)).isEqualTo(expected);
        Plan p = Plan.of("t", "v1", specs, Map.of("whole", WHOLE, "row", ROW));
        assertThat(p.columns()).isEqualTo(expected);
        assertThat(p.steps()).extracting(s -> s.spec().name()).containsExactly("t_index", "b", "a");
        assertThat(p.steps()).extracting(Plan.Step::firstColumn).containsExactly(0, 2, 4);
        assertThat(p.steps()).extracting(Plan.Step::builder).containsExactly(WHOLE, ROW, ROW);
    }

    @Test
    void aCycleIsBadBuilderNamingIt() {
        bad(ErrorCode.BAD_BUILDER, "form a cycle: a -> b -> c -> a", () -> order(index("id"),
                builder("a", List.of("a1"), "b"), builder("b", List.of("b1"), "self.c1"),
                builder("c", List.of("c1"), "a")));
        bad(ErrorCode.BAD_BUILDER, "form a cycle: s -> s", () -> order(index("id"),
                builder("s", List.of("s1"), "self.s1")));
    }

    @Test
    void anUnknownInternalDependencyIsBadBuilder() {
        bad(ErrorCode.BAD_BUILDER, "builder 'a': field 'dependencies' names 'nosuch'",
                () -> order(index("id"), builder("a", List.of("a1"), "nosuch")));
        bad(ErrorCode.BAD_BUILDER, "names 'self.nosuch'",
                () -> order(index("id"), builder("a", List.of("a1"), "self.nosuch")));
    }

    @Test
    void exactlyOneIndexBuilderIsNeeded() {
        bad(ErrorCode.BAD_BUILDER, "needs exactly one index builder 't_index', has 0",
                () -> order(builder("a", List.of("a1"))));
        bad(ErrorCode.BAD_BUILDER, "has 2", () -> order(index("id"),
                spec("u_index", true, "whole", "whole-column", columns("u"), List.of())));
    }

    @Test
    void aColumnBuiltTwiceIsBadBuilderNamingBothBuilders() {
        bad(ErrorCode.BAD_BUILDER, "builder 'b': field 'changedColumns' names column 'x', which builder 'a' builds",
                () -> order(index("id"), builder("b", List.of("x")), builder("a", List.of("x"))));
        bad(ErrorCode.BAD_BUILDER, "names column 'id', which builder 't_index' builds",
                () -> order(index("id"), builder("z", List.of("id"))));
    }

    @Test
    void codeIsFoundRegisteredFirstThenBuiltIn() {
        FrameBuilder mine = ctx -> Frame.ofColumns(List.of(), List.of());
        Spec range = spec("t_index", true, "range", "whole-column", columns("id"), List.of());
        assertThat(Plan.of("t", "v1", List.of(range), Map.of()).steps().get(0).builder().getClass().getName())
                .contains("Builtins");
        assertThat(Plan.of("t", "v1", List.of(range), Map.of("range", mine)).steps().get(0).builder())
                .isSameAs(mine);
        bad(ErrorCode.BUILDER_NOT_FOUND, "builder 't_index': code 'com.example.Nope' is not registered",
                () -> Plan.of("t", "v1", List.of(spec("t_index", true, "com.example.Nope", "whole-column",
                        columns("id"), List.of())), Map.of()));
    }

    @Test
    void codeThatDoesNotImplementTheModeIsBadBuilder() {
        bad(ErrorCode.BAD_BUILDER, "field 'mode' is 'generator', but code 'whole'",
                () -> Plan.of("t", "v1", List.of(spec("t_index", true, "whole", "generator", columns("id"),
                        List.of())), Map.of("whole", WHOLE)));
        bad(ErrorCode.BAD_BUILDER, "an index builder is whole-column or generator",
                () -> Plan.of("t", "v1", List.of(spec("t_index", true, "row", "row-wise", columns("id"),
                        List.of())), Map.of("row", ROW)));
        bad(ErrorCode.BAD_BUILDER, "builder 'a': field 'mode' is 'row-wise', but code 'row'",
                () -> Plan.of("t", "v1", List.of(index("id"), builder("a", List.of("a1"))),
                        Map.of("whole", WHOLE, "row", WHOLE)));
    }

    static LongStream seeds() {
        return LongStream.range(0, 100);
    }

    /**
     * Random dependency graphs: builder {@code bI} depends only on lower-numbered builders (by name or by one of
     * their columns), so the graph is acyclic; names are shuffled so name order and dependency order disagree.
     * The plan must be the index followed by a topological order of all builders, each once, breaking ties in
     * name order. With one edge added from a lower to a higher builder along an existing path, it must report a
     * path of real edges that ends in a cycle.
     */
    @ParameterizedTest(name = "[{index}] seed {0}")
    @MethodSource("seeds")
    void randomGraphsAreOrderedTopologicallyOrTheirCycleIsNamed(long seed) {
        Random r = new Random(seed);
        int n = 1 + r.nextInt(12);
        List<String> names = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            names.add("b" + (char) ('a' + i));
        }
        java.util.Collections.shuffle(names, r);
        List<List<Integer>> deps = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            List<Integer> d = new ArrayList<>();
            for (int j = 0; j < i; j++) {
                if (r.nextInt(3) == 0) {
                    d.add(j);
                }
            }
            deps.add(d);
        }
        List<Spec> specs = specs(names, deps, r);
        List<String> order = names(Plan.order("t", "v1", specs));
        assertThat(order.get(0)).isEqualTo("t_index");
        assertThat(order.subList(1, order.size())).containsExactlyInAnyOrderElementsOf(names);
        for (int i = 0; i < n; i++) {
            for (int j : deps.get(i)) {
                assertThat(order.indexOf(names.get(j))).as("%s after %s", names.get(i), names.get(j))
                        .isLessThan(order.indexOf(names.get(i)));
            }
        }
        // Builders without dependencies that nothing depends on are visited in name order.
        List<String> free = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int k = i;
            if (deps.get(i).isEmpty() && deps.stream().noneMatch(d -> d.contains(k))) {
                free.add(names.get(i));
            }
        }
        assertThat(order.stream().filter(free::contains).toList()).isSorted();

        // Close a cycle: the lowest builder on a path now also depends on the highest one.
        int hi = -1;
        for (int i = n - 1; i >= 0 && hi < 0; i--) {
            if (!deps.get(i).isEmpty()) {
                hi = i;
            }
        }
        if (hi < 0) {
            int only = r.nextInt(n);
            deps.get(only).add(only); // no edges at all: a builder on itself
            hi = only;
        } else {
            int lo = hi;
            while (!deps.get(lo).isEmpty()) {
                lo = deps.get(lo).get(0);
            }
            deps.get(lo).add(hi);
        }
        List<Spec> cyclic = specs(names, deps, r);
        assertThatThrownBy(() -> Plan.order("t", "v1", cyclic)).isInstanceOf(TvBuilderException.class)
                .satisfies(e -> {
                    String m = e.getMessage();
                    assertThat(((TableVaultException) e).code()).isEqualTo(ErrorCode.BAD_BUILDER);
                    assertThat(m).contains("form a cycle: ");
                    List<String> path = List.of(m.substring(m.indexOf("form a cycle: ") + 14).split(" -> "));
                    Map<String, List<String>> edges = new HashMap<>();
                    for (int i = 0; i < n; i++) {
                        edges.put(names.get(i), deps.get(i).stream().map(names::get).toList());
                    }
                    // The path from where the search entered, ending in a cycle back to a builder on it.
                    assertThat(path.subList(0, path.size() - 1)).doesNotHaveDuplicates()
                            .contains(path.get(path.size() - 1));
                    for (int i = 0; i + 1 < path.size(); i++) {
                        assertThat(edges.get(path.get(i))).as("edge %s -> %s", path.get(i), path.get(i + 1))
                                .contains(path.get(i + 1));
                    }
                });
    }

    /** Specs for the graph: builder i has column {@code <name>_c}; each edge is by name or by column at random. */
    private static List<Spec> specs(List<String> names, List<List<Integer>> deps, Random r) {
        List<Spec> specs = new ArrayList<>();
        specs.add(index("id"));
        for (int i = 0; i < names.size(); i++) {
            List<String> d = new ArrayList<>();
            for (int j : deps.get(i)) {
                d.add(r.nextBoolean() ? names.get(j) : "self." + names.get(j) + "_c");
            }
            specs.add(builder(names.get(i), List.of(names.get(i) + "_c"), d.toArray(String[]::new)));
        }
        java.util.Collections.shuffle(specs, r);
        return specs;
    }
}
