package dev.tablevault.engine.exec;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import com.fasterxml.jackson.core.type.TypeReference;
import dev.tablevault.api.Builder;
import dev.tablevault.api.BuilderSpec;
import dev.tablevault.api.Column;
import dev.tablevault.api.ColumnType;
import dev.tablevault.api.ErrorCode;
import dev.tablevault.api.TvBuilderException;
import dev.tablevault.engine.builtin.Builtins;
import dev.tablevault.engine.codec.Records;
import dev.tablevault.engine.ref.Args;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Structural validation of builder specs (YAML or JSON). Fields: {@code name}, {@code type}
 * ({@code index}|{@code column}), {@code builder}, {@code changedColumns}, and optionally {@code arguments},
 * {@code dependencies}, {@code mode} ({@code whole-column}|{@code row-wise}|{@code generator}),
 * {@code threads}, {@code types}, {@code codeVersion}, and for index builders {@code primaryKey},
 * {@code keepOld}. The index builder of table T is named {@code T_index}. Thread safe.
 */
public final class BuilderSpecs {
    /**
     * Strict readers: a key given twice or text after the spec (a second YAML document, JSON garbage) is an
     * error, not silently dropped.
     */
    private static final ObjectMapper YAML = strict(new ObjectMapper(new YAMLFactory()));
    private static final ObjectMapper JSON = strict(new ObjectMapper());
    private static final Set<String> FIELDS = Set.of("name", "type", "builder", "changedColumns", "arguments",
            "dependencies", "mode", "threads", "types", "codeVersion", "primaryKey", "keepOld");
    /** The longest spec text: it is read whole into memory, stored in the catalog and shown by {@code tv}. */
    static final int MAX_SPEC_CHARS = 1 << 20;
    private static final Set<String> MODES = Set.of("whole-column", "row-wise", "generator");

    private BuilderSpecs() {
    }

    private static ObjectMapper strict(ObjectMapper m) {
        return m.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }

    /**
     * The spec's tree. YAML aliases are refused: Jackson reads {@code *a} as the text {@code a}, not as the
     * anchored value, so a spec using them would silently mean something else (and an alias bomb is refused
     * at its first alias instead of being expanded).
     */
    private static JsonNode read(BuilderSpec spec) throws IOException {
        if (spec.format() == BuilderSpec.Format.JSON) {
            return JSON.readTree(spec.text());
        }
        try (YAMLParser p = (YAMLParser) YAML.getFactory().createParser(spec.text())) {
            for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
                if (p.isCurrentAlias()) {
                    throw new JsonParseException(p, "YAML aliases are not supported (*" + p.getText()
                            + "); write the value out");
                }
            }
        }
        return YAML.readTree(spec.text());
    }

    /**
     * Validates the spec's structure for {@code table}, and the literal arguments of a built-in it names unless
     * {@code registered} (the application's builders) overrides that name; returns the builder name.
     */
    public static String validate(String table, BuilderSpec spec, Map<String, Builder> registered) {
        Spec s = parse(table, spec);
        if (!registered.containsKey(s.builder())) {
            Builtins.checkArguments(s.name(), s.builder(), s.mode(), s.arguments());
        }
        return s.name();
    }

    /** The code a spec names (its {@code builder} field), after validating its structure for {@code table}. */
    public static String codeName(String table, BuilderSpec spec) {
        return parse(table, spec).builder();
    }

    /** A stored spec, parsed and validated again (the engine that stored it may have been older). */
    static Spec parse(String table, Records.BuilderRecord r) {
        return parse(table, r.format().equals("YAML") ? BuilderSpec.fromYaml(r.text()) : BuilderSpec.fromJson(r.text()));
    }

    /** True when two stored specs say the same, whatever their format and layout. */
    static boolean same(Records.BuilderRecord a, Records.BuilderRecord b) {
        try {
            return tree(a).equals(tree(b));
        } catch (JsonProcessingException e) {
            return false;
        }
    }

    private static JsonNode tree(Records.BuilderRecord r) throws JsonProcessingException {
        return (r.format().equals("YAML") ? YAML : JSON).readTree(r.text());
    }

    /** Validates the spec's structure for {@code table} and returns it parsed. */
    static Spec parse(String table, BuilderSpec spec) {
        if (spec == null) {
            throw bad("?", "spec", "is null");
        }
        if (spec.text().length() > MAX_SPEC_CHARS) {
            throw bad("?", "spec", "is " + spec.text().length() + " characters, more than the " + MAX_SPEC_CHARS
                    + " a spec may have; large inputs belong in a table the spec references, or in an artifact");
        }
        JsonNode root;
        try {
            root = read(spec);
        } catch (JsonProcessingException e) {
            throw new TvBuilderException(ErrorCode.BAD_BUILDER, "builder spec is not valid " + spec.format() + ": "
                    + e.getOriginalMessage() + " at line " + (e.getLocation() == null ? "?" : e.getLocation().getLineNr()));
        } catch (IOException e) {
            // The text is in memory, so this is a parser complaint Jackson did not type as a processing error.
            throw new TvBuilderException(ErrorCode.BAD_BUILDER, "builder spec is not valid " + spec.format() + ": "
                    + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw bad("?", "spec", "must be a mapping of fields");
        }
        String name = text(root, "?", "name", true);
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!FIELDS.contains(f)) {
                throw bad(name, f, "is not a known field; known: " + FIELDS);
            }
        }
        if (!name.matches("[A-Za-z0-9_][A-Za-z0-9_-]{0,127}")) {
            throw bad(name, "name", "must be 1-128 of A-Z a-z 0-9 _ -");
        }
        String type = text(root, name, "type", true);
        boolean index = switch (type) {
            case "index" -> true;
            case "column" -> false;
            default -> throw bad(name, "type", "must be 'index' or 'column', got '" + type + "'");
        };
        if (index && !name.equals(table + "_index")) {
            throw bad(name, "name", "an index builder of table '" + table + "' must be named '" + table + "_index'");
        }
        if (!index && name.endsWith("_index")) {
            throw bad(name, "name", "only the index builder '" + table + "_index' may end in '_index'");
        }
        text(root, name, "builder", true);
        List<String> cols = strings(root, name, "changedColumns", true);
        if (cols.isEmpty()) {
            throw bad(name, "changedColumns", "must name at least one column");
        }
        Set<String> seen = new HashSet<>();
        for (String c : cols) {
            if (!c.matches("[A-Za-z0-9_][A-Za-z0-9_-]{0,127}") || c.equals("index")) {
                throw bad(name, "changedColumns", "has a bad column name '" + c + "'");
            }
            if (!seen.add(c)) {
                throw bad(name, "changedColumns", "names '" + c + "' twice");
            }
        }
        if (root.has("arguments") && !root.get("arguments").isObject()) {
            throw bad(name, "arguments", "must be a mapping");
        }
        strings(root, name, "dependencies", false);
        String mode = text(root, name, "mode", false);
        if (mode != null && !MODES.contains(mode)) {
            throw bad(name, "mode", "must be one of " + MODES + ", got '" + mode + "'");
        }
        if (root.has("threads") && (!root.get("threads").isIntegralNumber() || !root.get("threads").canConvertToInt() || root.get("threads").asInt() < 1)) {
            throw bad(name, "threads", "must be a whole number >= 1");
        }
        if (root.has("types")) {
            JsonNode t = root.get("types");
            if (!t.isObject()) {
                throw bad(name, "types", "must map column names to types");
            }
            for (Iterator<String> it = t.fieldNames(); it.hasNext(); ) {
                String c = it.next();
                if (!seen.contains(c)) {
                    throw bad(name, "types", "names column '" + c + "', which is not in changedColumns");
                }
                String tn = t.get(c).asText();
                try {
                    ColumnType.valueOf(tn.toUpperCase(Locale.ROOT));
                } catch (IllegalArgumentException e) {
                    throw bad(name, "types", "column '" + c + "' has unknown type '" + tn + "'");
                }
            }
        }
        text(root, name, "codeVersion", false);
        if (!index && (root.has("primaryKey") || root.has("keepOld"))) {
            throw bad(name, root.has("primaryKey") ? "primaryKey" : "keepOld", "applies to index builders only");
        }
        for (String pk : strings(root, name, "primaryKey", false)) {
            if (!seen.contains(pk)) {
                throw bad(name, "primaryKey", "column '" + pk + "' is not in changedColumns");
            }
        }
        if (root.has("keepOld") && !root.get("keepOld").isBoolean()) {
            throw bad(name, "keepOld", "must be true or false");
        }
        List<Column> columns = new ArrayList<>();
        for (String c : cols) {
            JsonNode t = root.path("types").get(c);
            columns.add(new Column(c, t == null ? ColumnType.STRING : ColumnType.valueOf(t.asText().toUpperCase(Locale.ROOT))));
        }
        Map<String, Object> arguments = root.has("arguments")
                ? JSON.convertValue(root.get("arguments"), new TypeReference<LinkedHashMap<String, Object>>() { })
                : Map.of();
        String m = mode == null ? (index ? "whole-column" : "row-wise") : mode;
        Args args = Args.parse(arguments, name);
        if (args.perRow() && !m.equals("row-wise")) {
            throw new TvBuilderException(ErrorCode.BAD_REFERENCE, "builder '" + name + "': its arguments read the"
                    + " current row (self.index or a bare condition), which only a row-wise builder has; it is " + m);
        }
        List<String> explicit = strings(root, name, "dependencies", false);
        List<String> deps = new ArrayList<>(explicit);
        for (String d : args.dependencies(name, !explicit.isEmpty())) {
            if (!deps.contains(d)) {
                deps.add(d);
            }
        }
        if (index && deps.stream().anyMatch(d -> d.startsWith("self."))) {
            throw new TvBuilderException(ErrorCode.BAD_REFERENCE, "builder '" + name + "': an index builder runs"
                    + " first, so it cannot read columns of self; it depends on " + deps);
        }
        return new Spec(name, index, root.get("builder").asText(), columns, arguments, args, deps, m,
                root.has("threads") ? root.get("threads").asInt() : 1, root.path("codeVersion").asText(""),
                strings(root, name, "primaryKey", false), root.path("keepOld").asBoolean(false));
    }

    private static String text(JsonNode root, String builder, String field, boolean required) {
        JsonNode n = root.get(field);
        if (n == null || n.isNull()) {
            if (required) {
                throw bad(builder, field, "is required");
            }
            return null;
        }
        if (!n.isTextual() || n.asText().isBlank()) {
            throw bad(builder, field, "must be a non-empty string");
        }
        return n.asText();
    }

    private static List<String> strings(JsonNode root, String builder, String field, boolean required) {
        JsonNode n = root.get(field);
        List<String> out = new ArrayList<>();
        if (n == null || n.isNull()) {
            if (required) {
                throw bad(builder, field, "is required");
            }
            return out;
        }
        if (!n.isArray()) {
            throw bad(builder, field, "must be a list of strings");
        }
        for (JsonNode e : n) {
            if (!e.isTextual()) {
                throw bad(builder, field, "must be a list of strings");
            }
            out.add(e.asText());
        }
        return out;
    }

    static TvBuilderException bad(String builder, String field, String what) {
        return new TvBuilderException(ErrorCode.BAD_BUILDER, "builder '" + builder + "': field '" + field + "' "
                + what);
    }
}
