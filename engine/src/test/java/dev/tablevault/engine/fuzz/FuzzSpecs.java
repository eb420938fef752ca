package dev.tablevault.engine.fuzz;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.tablevault.api.BuilderSpec;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Seeded builder specs for table {@code stories}: a valid spec (one of {@link #seeds}) mutated in its tree
 * (keys dropped, renamed or added; values of the wrong type, huge or negative numbers, odd names, references,
 * deep nesting) and then in its text ({@link FuzzText}), as YAML or JSON. Stateless.
 */
public final class FuzzSpecs {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final YAMLMapper YAML = YAMLMapper.builder().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .build();
    private static final Pattern DEEP = Pattern.compile("\"?DEEPNEST_(\\d+)_(\\d)\"?");
    private static final int[] DEPTHS = {10, 100, 999, 1000, 1001, 5000, 50_000};

    private FuzzSpecs() {
    }

    /** Valid specs of table {@code stories} (index builder {@code stories_index}); {@code csv} a CSV file path. */
    static List<Map<String, Object>> seeds(String csv) {
        return List.of(
                tree("name", "title", "type", "column", "builder", "template", "changedColumns", list("title"),
                        "arguments", tree("template", list("t-<<self.id>>"))),
                tree("name", "stories_index", "type", "index", "builder", "range", "changedColumns", list("id"),
                        "primaryKey", list("id"), "arguments", tree("count", 3, "start", 1)),
                tree("name", "stories_index", "type", "index", "builder", "range", "changedColumns", list("id"),
                        "mode", "generator", "keepOld", true, "types", tree("id", "long"),
                        "arguments", tree("count", 2)),
                tree("name", "summary", "type", "column", "builder", "random", "changedColumns", list("summary"),
                        "mode", "row-wise", "threads", 2, "arguments", tree("length", 5, "seed", 7)),
                tree("name", "copied", "type", "column", "builder", "copy", "changedColumns", list("copied"),
                        "mode", "whole-column", "arguments", tree("from", "<<stories(base).title[id::1:3]>>")),
                tree("name", "ext", "type", "column", "builder", "external", "changedColumns", list("ext"),
                        "codeVersion", "v1", "arguments", tree("failAtRows", list(), "seed", 3)),
                tree("name", "stories_index", "type", "index", "builder", "csv", "changedColumns", list("id", "title"),
                        "types", tree("id", "long"), "arguments", tree("path", csv, "header", true, "delimiter", ",")),
                tree("name", "both", "type", "column", "builder", "template", "changedColumns", list("a", "b"),
                        "dependencies", list("title", "stories(base).title"), "types", tree("a", "long", "b", "string"),
                        "arguments", tree("template", list("<<self.index>>", "<<stories(base).title[id::1]>>"))));
    }

    /** A mutated spec: 0-3 tree mutations, then (one time in two) 1-2 text mutations. */
    public static BuilderSpec spec(Random r, String csv) {
        List<Map<String, Object>> seeds = seeds(csv);
        Map<String, Object> tree = seeds.get(r.nextInt(seeds.size()));
        int n = r.nextInt(4);
        for (int i = 0; i < n; i++) {
            mutate(r, tree);
        }
        boolean yaml = r.nextBoolean();
        String text = render(tree, yaml);
        if (r.nextBoolean()) {
            int m = 1 + r.nextInt(2);
            for (int i = 0; i < m; i++) {
                text = yaml ? FuzzText.yaml(r, text) : FuzzText.json(r, text);
            }
        }
        return yaml ? BuilderSpec.fromYaml(text) : BuilderSpec.fromJson(text);
    }

    /** One change at a random place in {@code tree}. */
    @SuppressWarnings("unchecked")
    static void mutate(Random r, Map<String, Object> tree) {
        Map<String, Object> at = tree;
        while (r.nextInt(3) == 0) {
            List<Object> maps = at.values().stream().filter(v -> v instanceof Map).map(v -> (Object) v).toList();
            if (maps.isEmpty()) {
                break;
            }
            at = (Map<String, Object>) maps.get(r.nextInt(maps.size()));
        }
        List<String> keys = new ArrayList<>(at.keySet());
        String key = keys.isEmpty() ? "name" : keys.get(r.nextInt(keys.size()));
        switch (r.nextInt(7)) {
            case 0 -> at.remove(key);
            case 1 -> at.put(FuzzStrings.nearMiss(r, key), at.remove(key));
            case 2 -> at.put(r.nextBoolean() ? "colour" : String.valueOf(FuzzStrings.name(r)), odd(r));
            case 3 -> {
                if (at.get(key) instanceof List<?> l) {
                    List<Object> copy = new ArrayList<>(l);
                    copy.add(r.nextInt(copy.size() + 1), odd(r));
                    at.put(key, copy);
                } else {
                    at.put(key, odd(r));
                }
            }
            case 4 -> at.put(key, number(r));
            case 5 -> at.put(key, FuzzRefs.ref(r));
            default -> at.put(key, odd(r));
        }
    }

    /** A value of some type: numbers, booleans, null, odd strings, lists, maps, deep nesting. */
    static Object odd(Random r) {
        return switch (r.nextInt(9)) {
            case 0 -> number(r);
            case 1 -> r.nextBoolean();
            case 2 -> null;
            case 3 -> FuzzStrings.name(r);
            case 4 -> list(FuzzStrings.name(r), number(r));
            case 5 -> tree("a", FuzzStrings.name(r));
            case 6 -> "DEEPNEST_" + DEPTHS[r.nextInt(DEPTHS.length)] + "_" + r.nextInt(2);
            case 7 -> FuzzRefs.ref(r);
            default -> List.of();
        };
    }

    static Object number(Random r) {
        return switch (r.nextInt(10)) {
            case 0 -> Integer.MAX_VALUE;
            case 1 -> -1;
            case 2 -> 0;
            case 3 -> Long.MAX_VALUE;
            case 4 -> Long.MIN_VALUE;
            case 5 -> new BigInteger("9".repeat(20 + r.nextInt(1100)));
            case 6 -> new double[] {1.5, 1e308, -0.0, Double.MIN_VALUE, 2147483647.0}[r.nextInt(5)];
            case 7 -> (long) Integer.MAX_VALUE + 1;
            case 8 -> Integer.MIN_VALUE;
            default -> r.nextInt(10);
        };
    }

    /** {@code tree} as text; a value Jackson cannot write in YAML (a lone surrogate) leaves it JSON. */
    static String render(Map<String, Object> tree, boolean yaml) {
        String text;
        try {
            text = yaml ? YAML.writeValueAsString(tree) : JSON.writeValueAsString(tree);
        } catch (JsonProcessingException | RuntimeException e) {
            try {
                text = JSON.writeValueAsString(tree);
            } catch (JsonProcessingException x) {
                throw new IllegalStateException(x);
            }
        }
        Matcher m = DEEP.matcher(text);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            int depth = Integer.parseInt(m.group(1));
            String nest = m.group(2).equals("0") ? "[".repeat(depth) + "1" + "]".repeat(depth)
                    : "{\"a\": ".repeat(depth) + "1" + "}".repeat(depth);
            m.appendReplacement(sb, Matcher.quoteReplacement(nest));
        }
        return m.appendTail(sb).toString();
    }

    static Map<String, Object> tree(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    static List<Object> list(Object... values) {
        return new ArrayList<>(java.util.Arrays.asList(values));
    }
}
