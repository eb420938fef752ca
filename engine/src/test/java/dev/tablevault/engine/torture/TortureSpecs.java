package dev.tablevault.engine.torture;

import dev.tablevault.api.BuildContext;
import dev.tablevault.api.BuilderSpec;
import dev.tablevault.api.Column;
import dev.tablevault.api.ColumnType;
import dev.tablevault.api.Frame;
import dev.tablevault.api.RowBuilder;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The torture's data: builder specs named by a short code, the frames writes use, and what an execution must
 * build, all deterministic functions of their codes (and of the rows' ids), so the parent can check contents.
 * Codes: index {@code I:<start>:<count>:<keepOld 0|1>}, {@code L:<salt>} (column {@code label} =
 * {@code L<salt>-<id>}), {@code T:<salt>} (column {@code text} = {@code <salt>:<label>}, depends on
 * {@code label}), {@code F:<salt>:<failId>:<flag>} (column {@code flaky} = {@code F<salt>-<id>}, computed by
 * {@link Flaky}, which fails at the row with id {@code failId} while the file {@code flag} exists).
 */
final class TortureSpecs {
    static final String FLAKY = "torture-flaky";
    /** Column builders in the order an execution runs them (by name; {@code text} after {@code label}). */
    static final List<String> COLUMN_BUILDERS = List.of("flaky", "label", "text");

    private TortureSpecs() {
    }

    /** The external failure the flaky builder raises: it pauses an execution with a process id. */
    static final class FlakyFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        FlakyFailure(String message) {
            super(message);
        }
    }

    /** Row-wise: argument {@code value}; fails at the row whose {@code key} is {@code failAt} while the flag exists. */
    static final class Flaky implements RowBuilder {
        private final Path flags;

        Flaky(Path flags) {
            this.flags = flags;
        }

        @Override
        public List<Object> build(BuildContext ctx, long row) {
            Map<String, Object> a = ctx.arguments();
            if (String.valueOf(a.get("key")).equals(String.valueOf(a.get("failAt")))
                    && Files.exists(flags.resolve(String.valueOf(a.get("flag"))))) {
                throw new FlakyFailure("flaky failure at id " + a.get("key") + " (flag " + a.get("flag") + ")");
            }
            return List.of(String.valueOf(a.get("value")));
        }
    }

    static String indexName(String table) {
        return table + "_index";
    }

    /** The builder name a code defines (the index's depends on the table it was put on). */
    static String name(String table, String code) {
        return switch (code.charAt(0)) {
            case 'I' -> indexName(table);
            case 'L' -> "label";
            case 'T' -> "text";
            case 'F' -> "flaky";
            default -> throw new IllegalArgumentException("unknown spec code " + code);
        };
    }

    static BuilderSpec spec(String name, String code) {
        String[] p = code.split(":");
        String yaml = switch (p[0]) {
            case "I" -> "name: " + name + "\ntype: index\nbuilder: range\nchangedColumns: [id]\ntypes: {id: long}\n"
                    + "primaryKey: [id]\nkeepOld: " + p[3].equals("1") + "\narguments: {start: " + p[1] + ", count: "
                    + p[2] + "}\n";
            case "L" -> "name: label\ntype: column\nbuilder: template\nchangedColumns: [label]\n"
                    + "arguments: {template: 'L" + p[1] + "-<<self.id[index]>>'}\n";
            case "T" -> "name: text\ntype: column\nbuilder: template\nchangedColumns: [text]\ndependencies: [label]\n"
                    + "arguments: {template: '" + p[1] + ":<<self.label[index]>>'}\n";
            case "F" -> "name: flaky\ntype: column\nbuilder: " + FLAKY + "\nchangedColumns: [flaky]\n"
                    + "arguments: {value: 'F" + p[1] + "-<<self.id[index]>>', key: '<<self.id[index]>>', failAt: "
                    + p[2] + ", flag: " + p[3] + "}\n";
            default -> throw new IllegalArgumentException("unknown spec code " + code);
        };
        return BuilderSpec.fromYaml(yaml);
    }

    /** The flag file of a flaky code, or null for other codes. */
    static String flag(String code) {
        return code.startsWith("F:") ? code.split(":")[3] : null;
    }

    static boolean keepOld(String indexCode) {
        return indexCode.split(":")[3].equals("1");
    }

    /**
     * The ids an index builds: {@code start..start+count-1}, then, with keepOld and an origin, the origin's ids
     * the new ones lack, in origin order.
     */
    static List<Long> ids(String indexCode, List<Long> originIds) {
        String[] p = indexCode.split(":");
        long start = Long.parseLong(p[1]);
        long count = Long.parseLong(p[2]);
        List<Long> out = new ArrayList<>();
        Set<Long> seen = new HashSet<>();
        for (long i = start; i < start + count; i++) {
            out.add(i);
            seen.add(i);
        }
        if (keepOld(indexCode) && originIds != null) {
            originIds.stream().filter(id -> !seen.contains(id)).forEach(out::add);
        }
        return out;
    }

    /** The columns an execution of {@code builders} (name to code) builds, in plan order. */
    static List<Column> columns(Map<String, String> builders) {
        List<Column> out = new ArrayList<>(List.of(new Column("id", ColumnType.LONG)));
        for (String b : COLUMN_BUILDERS) {
            if (builders.containsKey(b)) {
                out.add(new Column(b, ColumnType.STRING));
            }
        }
        return out;
    }

    /** What executing {@code builders} over rows with {@code ids} builds. */
    static Frame executed(Map<String, String> builders, List<Long> ids) {
        List<List<Object>> values = new ArrayList<>();
        values.add(new ArrayList<>(ids));
        for (String b : COLUMN_BUILDERS) {
            String code = builders.get(b);
            if (code == null) {
                continue;
            }
            String[] p = code.split(":");
            List<Object> col = new ArrayList<>(ids.size());
            for (long id : ids) {
                col.add(switch (b) {
                    case "flaky" -> "F" + p[1] + "-" + id;
                    case "label" -> "L" + p[1] + "-" + id;
                    default -> p[1] + ":L" + builders.get("label").split(":")[1] + "-" + id;
                });
            }
            values.add(col);
        }
        return Frame.ofColumns(columns(builders), values);
    }

    /** The frame a write with {@code seed} writes: ids {@code offset..offset+rows-1}, text with some nulls, doubles. */
    static Frame written(long seed, int rows) {
        long offset = Math.floorMod(seed, 5) * 100;
        List<Object> id = new ArrayList<>(rows);
        List<Object> name = new ArrayList<>(rows);
        List<Object> score = new ArrayList<>(rows);
        for (int i = 0; i < rows; i++) {
            id.add(offset + i);
            name.add((i + seed) % 7 == 0 ? null : "w" + seed + "-" + i);
            score.add(i * 0.25 + seed);
        }
        return Frame.ofColumns(List.of(new Column("id", ColumnType.LONG), new Column("name", ColumnType.STRING),
                new Column("score", ColumnType.DOUBLE)), List.of(id, name, score));
    }
}
