package dev.tablevault.engine.fuzz;

import dev.tablevault.api.Column;
import dev.tablevault.api.ColumnType;
import dev.tablevault.api.ExecuteOptions;
import dev.tablevault.api.Frame;
import dev.tablevault.api.InstanceOptions;
import dev.tablevault.api.OpOptions;
import dev.tablevault.api.ReadOptions;
import dev.tablevault.api.StopOptions;
import dev.tablevault.api.TableOptions;
import dev.tablevault.api.Vault;
import dev.tablevault.api.WriteOptions;

import java.util.List;

/**
 * Every API call that takes a name, with valid values for the {@link Fixture} in its name slots (the
 * defaults); the fuzz replaces one or two slots with generated strings.
 */
final class NameOps {
    /** A call with its name arguments {@code a}. */
    @FunctionalInterface
    interface Call {
        void run(Vault v, String[] a) throws Exception;
    }

    /** An operation: its name, the default of each slot (null: none given), and the call. */
    record Op(String name, String[] defaults, Call call) {
    }

    private NameOps() {
    }

    static List<Op> all(String baseId) {
        return List.of(
                op("createTable", (v, a) -> v.createTable(a[0], TableOptions.defaults().processId(a[1])
                        .description(nonNull(a[2]))), "fresh", null, "text"),
                op("renameTable", (v, a) -> v.renameTable(a[0], a[1], OpOptions.defaults().processId(a[2])),
                        "nothere", "fresh", null),
                op("deleteTable", (v, a) -> v.deleteTable(a[0], OpOptions.defaults().processId(a[1])), "nothere", null),
                op("createInstance", (v, a) -> v.createInstance(a[0], InstanceOptions.defaults().version(nonNull(a[1]))
                        .originId(a[2]).originTable(a[3]).processId(a[4]).description(nonNull(a[5]))),
                        "stories", "fresh", baseId, null, null, "text"),
                op("deleteInstance", (v, a) -> v.deleteInstance(a[0], a[1], OpOptions.defaults().processId(a[2])),
                        "stories", "TEMP_nothere", null),
                op("putBuilder", (v, a) -> v.putBuilder(a[0], a[1], Fixture.TITLE, OpOptions.defaults().processId(a[2])),
                        "stories", "draft", null),
                op("deleteBuilder", (v, a) -> v.deleteBuilder(a[0], a[1], a[2], OpOptions.defaults().processId(a[3])),
                        "stories", "draft", "nothere", null),
                op("writeInstance", (v, a) -> v.writeInstance(a[0], frame(a[3], a[4]),
                        WriteOptions.defaults().version(nonNull(a[1])).processId(a[2])), "stories", "nothere", null, "id", "title"),
                op("executeInstance", (v, a) -> v.executeInstance(a[0], ExecuteOptions.defaults().version(nonNull(a[1]))
                        .processId(a[2])), "stories", "nothere", null),
                op("stopProcess", (v, a) -> v.stopProcess(a[0], StopOptions.defaults().processId(a[1])), "nothere",
                        null),
                op("resumeProcess", (v, a) -> v.resumeProcess(a[0]), "nothere"),
                op("process", (v, a) -> v.process(a[0]), "nothere"),
                op("processLog", (v, a) -> v.processLog(a[0]), "nothere"),
                op("isProcessComplete", (v, a) -> v.isProcessComplete(a[0]), "nothere"),
                op("instances", (v, a) -> v.instances(a[0], a[1], true), "stories", "base"),
                op("dataframe.id", (v, a) -> v.dataframe(a[0], ReadOptions.id(a[1])), "stories", baseId),
                op("dataframe.version", (v, a) -> v.dataframe(a[0], ReadOptions.version(a[1])), "stories", "base"),
                op("rows", (v, a) -> v.rows(a[0], ReadOptions.id(a[1])).close(), "stories", baseId),
                op("builders", (v, a) -> v.builders(a[0], a[1]), "stories", "draft"),
                op("builder", (v, a) -> v.builder(a[0], a[1], a[2]), "stories", "draft", "title"),
                op("description", (v, a) -> v.description(a[0]), "stories"),
                op("description.instance", (v, a) -> v.description(a[0], a[1]), "stories", baseId),
                op("artifactFolder", (v, a) -> v.artifactFolder(a[0], a[1]), "stories", baseId));
    }

    private static Op op(String name, Call call, String... defaults) {
        return new Op(name, defaults, call);
    }

    /** {@code s}, or "" for null: the options records refuse a null version or description before any vault call. */
    static String nonNull(String s) {
        return s == null ? "" : s;
    }

    /**
     * Two columns named {@code a} and {@code b}; a null or repeated name is changed, as {@link Frame} refuses it
     * before any vault call.
     */
    static Frame frame(String a, String b) {
        String first = a == null ? "" : a;
        String second = b == null || b.equals(first) ? first + "2" : b;
        return Frame.ofColumns(List.of(new Column(first, ColumnType.LONG), new Column(second, ColumnType.STRING)),
                List.of(List.of(1L, 2L), java.util.Arrays.asList("x", null)));
    }
}
