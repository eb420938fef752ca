package dev.tablevault.engine.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.tablevault.api.BuilderSpec;
import dev.tablevault.api.ExecuteOptions;
import dev.tablevault.api.InstanceOptions;
import dev.tablevault.api.OpOptions;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Executions of fuzz inputs on the fixture's table {@code loads}: an accepted spec (renamed from
 * {@code stories_index} to {@code loads_index} if it is the index builder, else next to the fixture's index
 * builder), and a generated CSV file read by a {@code csv} index builder. Putting the spec is part of a CSV
 * input (a refused spec is a rejection like any other); each execution is judged on its own.
 */
final class Executions {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper YAML = new YAMLMapper();
    /**
     * Larger counts and sleeps run too long to execute here, so such samples are skipped (a whole-column
     * {@code range} count beyond the built-in's bound is refused at putBuilder).
     */
    private static final BigInteger MAX_ROWS = BigInteger.valueOf(10_000);

    private final Fixture fx;
    private final Attempts attempts;

    Executions(Fixture fx, Attempts attempts) {
        this.fx = fx;
        this.attempts = attempts;
    }

    /** Executes accepted {@code spec} as input {@code i}; null when skipped because it would run too long. */
    FuzzRun.Outcome spec(String category, int i, BuilderSpec spec) {
        if (tooLong(spec)) {
            return null;
        }
        BuilderSpec loads = new BuilderSpec(spec.text().replace("stories_index", "loads_index"), spec.format());
        return execute(category, i, "execute " + loads.format() + ":" + loads.text(), List.of(Fixture.LOADS_INDEX, loads));
    }

    /** Executes a {@code csv} index builder reading the generated file {@code in}, written to {@code file}. */
    FuzzRun.Outcome csv(String category, int i, FuzzCsv.Input in, Path file) throws Exception {
        Files.write(file, in.bytes());
        Map<String, Object> types = new LinkedHashMap<>();
        for (int c = 0; c < in.columns().size(); c++) {
            if (!in.types().get(c).equals("string")) {
                types.put(in.columns().get(c), in.types().get(c));
            }
        }
        Map<String, Object> tree = FuzzSpecs.tree("name", "loads_index", "type", "index", "builder", "csv",
                "changedColumns", in.columns(), "types", types, "arguments", FuzzSpecs.tree("path", file.toString(),
                        "header", in.header(), "delimiter", String.valueOf(in.delimiter())));
        BuilderSpec spec = BuilderSpec.fromJson(JSON.writeValueAsString(tree));
        try {
            return execute(category, i, spec.text() + "\n    file: " + new String(in.bytes(), StandardCharsets.ISO_8859_1),
                    List.of(spec));
        } finally {
            Files.delete(file);
        }
    }

    /**
     * Puts {@code specs} on a fresh temporary instance of {@code loads} (a refused one ends the input), executes
     * it, and removes what the execution left.
     */
    private FuzzRun.Outcome execute(String category, int i, String input, List<BuilderSpec> specs) {
        String version = "x" + i;
        Fixture.Snapshot clean = fx.snapshot();
        fx.vault.createInstance("loads", InstanceOptions.defaults().version(version));
        try {
            for (BuilderSpec s : specs) {
                FuzzRun.Outcome put = attempts.attempt(category, i, input, null,
                        v -> v.putBuilder("loads", version, s, OpOptions.defaults()));
                if (put != FuzzRun.Outcome.ACCEPTED) {
                    return put;
                }
                fx.vault.putBuilder("loads", version, s, OpOptions.defaults()); // the attempt undid it
            }
            return attempts.attempt(category, i, input, null, "loads/TEMP_" + version,
                    v -> v.executeInstance("loads", ExecuteOptions.defaults().version(version)));
        } finally {
            attempts.undo(category, i, input, clean);
        }
    }

    /** True when an argument asks for more rows or sleep than a sample may take. */
    static boolean tooLong(BuilderSpec spec) {
        JsonNode args;
        try {
            args = (spec.format() == BuilderSpec.Format.YAML ? YAML : JSON).readTree(spec.text()).path("arguments");
        } catch (java.io.IOException e) {
            return true; // the engine's parser accepted it, ours did not: unknown arguments, so do not run it
        }
        for (String key : List.of("count", "latencyMillis")) {
            JsonNode n = args.path(key);
            BigInteger v;
            try {
                v = n.isNumber() ? n.bigIntegerValue() : n.isTextual() ? new BigInteger(n.asText().strip()) : null;
            } catch (NumberFormatException e) {
                v = null;
            }
            if (v != null && v.abs().compareTo(MAX_ROWS) > 0) {
                return true;
            }
        }
        return false;
    }
}
