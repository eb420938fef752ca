package dev.tablevault.tools;

import dev.tablevault.engine.fuzz.FuzzStrings;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Seeded {@code tv} command lines: a subcommand with its positional arguments and options, each either a
 * value valid for the fuzz vault or a generated one ({@link FuzzStrings}, odd numbers, files), plus global
 * options, unknown options and stray arguments. Stateless.
 */
final class CliArgs {
    /** Marks a flag (an option without a value). */
    static final String FLAG = "<flag>";
    /** Stand-ins replaced by a generated file: a builder spec and a CSV file. */
    static final String SPEC = "<spec>";
    static final String CSV = "<csv>";
    static final String[] NUMBERS = {"-1", "0", "1", "2147483647", "2147483648", "-2147483649",
        "9223372036854775807", "99999999999999999999", "abc", "", "1e3", "0x10", " 5", "1.5"};

    /**
     * A subcommand: its words, default positionals, options with default values, and whether it writes; an
     * option named with a leading {@code +} is given more often than not (without it the command would fail).
     */
    record Cmd(List<String> words, List<String> positionals, Map<String, String> options, boolean writes) {
    }

    private CliArgs() {
    }

    static List<Cmd> commands(String baseId) {
        return List.of(
                cmd("create-table", true, List.of("fresh"), "--side-effects", FLAG, "--multiple-artifacts", FLAG,
                        "--description", "text", "--process-id", "p-1"),
                cmd("rename-table", true, List.of("nothere", "fresh"), "--process-id", "p-1"),
                cmd("delete-table", true, List.of("nothere"), "--process-id", "p-1"),
                cmd("create-instance", true, List.of("stories"), "--version", "fresh", "--origin-id", baseId,
                        "--origin-table", "stories", "--external-edit", FLAG, "--copy", FLAG, "--description", "d",
                        "--process-id", "p-1"),
                cmd("delete-instance", true, List.of("stories", "TEMP_nothere"), "--process-id", "p-1"),
                cmd("builder put", true, List.of("stories", SPEC), "--version", "draft", "--unregistered", FLAG,
                        "--process-id", "p-1"),
                cmd("builder rm", true, List.of("stories", "nothere"), "--version", "draft", "--process-id", "p-1"),
                cmd("builder ls", false, List.of("stories"), "--version", "draft"),
                cmd("builder show", false, List.of("stories", "title"), "--version", "draft"),
                cmd("write", true, List.of("stories"), "--csv", CSV, "+--version", "ext", "--process-id", "p-1"),
                cmd("execute", true, List.of("stories"), "+--version", "draft", "--checkpoint-rows", "4096",
                        "--checkpoint-millis", "1000", "--force", FLAG, "--progress", FLAG, "--no-progress", FLAG,
                        "--process-id", "p-1"),
                cmd("stop", true, List.of("nothere"), "--materialize", FLAG, "--force", FLAG, "--process-id", "p-1"),
                cmd("resume", true, List.of("nothere")),
                cmd("restart", true, List.of()),
                cmd("generate-process-id", false, List.of()),
                cmd("tables", false, List.of()),
                cmd("instances", false, List.of("stories"), "--version", "base", "--temp", FLAG),
                cmd("show", false, List.of("stories"), "--id", baseId, "--version", "base", "--limit", "5"),
                cmd("ps", false, List.of()),
                cmd("top", false, List.of(), "--interval", "500"),
                cmd("locks", false, List.of()),
                cmd("history", false, List.of(), "--limit", "20"),
                cmd("log", false, List.of("nothere")),
                cmd("verify", false, List.of()),
                cmd("stats", false, List.of()),
                cmd("builder", false, List.of()),
                cmd("init", true, List.of()),
                cmd("demo", true, List.of("extra")));
    }

    private static Cmd cmd(String words, boolean writes, List<String> positionals, String... options) {
        Map<String, String> o = new LinkedHashMap<>();
        for (int i = 0; i < options.length; i += 2) {
            o.put(options[i], options[i + 1]);
        }
        return new Cmd(List.of(words.split(" ")), positionals, o, writes);
    }

    /**
     * The arguments after the global ones for {@code c}; {@link #SPEC} and {@link #CSV} stand for files the
     * caller writes. {@code demo} always keeps a stray argument (its full run is too long for a fuzz input);
     * {@code top} always ends with {@code --once} (without it, it refreshes until interrupted).
     */
    static List<String> args(Random r, Cmd c) {
        List<String> out = new ArrayList<>();
        for (String w : c.words()) {
            out.add(r.nextInt(30) == 0 ? String.valueOf(FuzzStrings.name(r)) : w);
        }
        for (String p : c.positionals()) {
            if (r.nextInt(20) != 0 || c.words().get(0).equals("demo")) {
                out.add(r.nextInt(3) == 0 ? value(r) : p);
            }
        }
        for (Map.Entry<String, String> entry : c.options().entrySet()) {
            boolean usual = entry.getKey().startsWith("+");
            if (usual ? r.nextInt(5) == 0 : r.nextInt(3) != 0) {
                continue;
            }
            Map.Entry<String, String> o = Map.entry(entry.getKey().substring(usual ? 1 : 0), entry.getValue());
            boolean numeric = o.getValue().matches("\\d+");
            if (o.getValue().equals(FLAG)) {
                out.add(r.nextInt(10) == 0 ? o.getKey() + "=" + value(r) : o.getKey());
            } else {
                String v = r.nextBoolean() ? o.getValue() : numeric ? NUMBERS[r.nextInt(NUMBERS.length)] : value(r);
                if (r.nextInt(5) == 0) {
                    out.add(o.getKey() + "=" + v);
                } else {
                    out.add(o.getKey());
                    if (r.nextInt(20) != 0) {
                        out.add(v);
                    }
                }
            }
        }
        if (r.nextInt(8) == 0) {
            String[] stray = {"--nope", "-x", "--", "-", "--json=maybe", "--vault", "-h", "--help", "extra",
                String.valueOf(FuzzStrings.name(r))};
            out.add(r.nextInt(out.size() + 1), stray[r.nextInt(stray.length)]);
        }
        if (r.nextInt(10) == 0) {
            Collections.shuffle(out.subList(Math.min(c.words().size(), out.size()), out.size()), r);
        }
        if (c.words().get(0).equals("top")) {
            out.add("--once");
        }
        return out;
    }

    /** A generated argument: never null (a command line has none). */
    static String value(Random r) {
        String s = FuzzStrings.name(r);
        return s == null ? "" : s;
    }
}
