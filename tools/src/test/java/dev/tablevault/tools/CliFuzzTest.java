package dev.tablevault.tools;

import dev.tablevault.api.BuilderSpec;
import dev.tablevault.api.ErrorCode;
import dev.tablevault.api.Vault;
import dev.tablevault.engine.TableVault;
import dev.tablevault.engine.fuzz.Fixture;
import dev.tablevault.engine.fuzz.FuzzCsv;
import dev.tablevault.engine.fuzz.FuzzRun;
import dev.tablevault.engine.fuzz.FuzzSpecs;
import dev.tablevault.engine.fuzz.State;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.fail;

/**
 * Bad-input fuzz of the {@code tv} command ({@link CliArgs}): generated arguments, options, builder spec files
 * ({@link FuzzSpecs}) and CSV files ({@link FuzzCsv}). Every run must exit 0, 2 (usage) or an
 * {@link ErrorCode}'s code, print no stack trace, end a failure with one {@code tv: CODE: message} line (or a
 * JSON object), and a refused write must leave the vault as it was ({@link State}). Accepted writes are undone
 * ({@link Fixture#undo}), or the vault is made again.
 *
 * <p>{@code ./mvnw verify} runs 150 command lines; {@code -Dfuzz.cli.inputs=N} runs N, with {@code fuzz.seed}
 * and {@code fuzz.only} as in the API fuzz.
 */
class CliFuzzTest {
    private static final Pattern STACK = Pattern.compile("(?m)^\\s+at [\\w.$]+\\(|Exception in thread|^Caused by: ");
    private static final Set<Integer> EXITS = Arrays.stream(ErrorCode.values()).map(ErrorCode::exitCode)
            .collect(Collectors.toSet());

    @TempDir
    Path root;
    private Path vault;
    private int builds;
    private String baseId;
    /** The vault's state when no write has been accepted since it was read; else null. */
    private State state;

    @Test
    void everyCommandLineExitsWithAKnownCodeAndARefusalChangesNothing() throws Exception {
        FuzzRun run = FuzzRun.fromProperties("CLI", "fuzz.cli.inputs", 150);
        build();
        Path files = Files.createDirectories(root.resolve("in"));
        Path sandbox = Files.createDirectories(root.resolve("sandbox"));
        for (int i = 0; i < run.inputs(); i++) {
            if (!run.selected(i)) {
                continue;
            }
            Random r = run.random(i);
            List<CliArgs.Cmd> commands = CliArgs.commands(baseId);
            CliArgs.Cmd cmd = commands.get(r.nextInt(commands.size()));
            List<String> args = new ArrayList<>();
            boolean ownVault = !cmd.words().get(0).equals("init") && r.nextInt(10) != 0;
            args.add("--vault");
            // Text, not a Path: picocli must refuse what is no path. No ".." so init stays inside the sandbox.
            args.add(ownVault ? vault.toString() : sandbox + "/" + CliArgs.value(r).replace("..", "_"));
            if (r.nextInt(3) == 0) {
                args.add("--json");
            }
            if (r.nextInt(10) == 0) {
                args.addAll(List.of("--author", CliArgs.value(r)));
            }
            for (String a : CliArgs.args(r, cmd)) {
                args.add(switch (a) {
                    case CliArgs.SPEC -> specFile(r, files, i);
                    case CliArgs.CSV -> csvFile(r, files, i);
                    default -> a;
                });
            }
            String category = String.join("-", cmd.words());
            long t0 = System.nanoTime();
            FuzzRun.Outcome outcome = judge(run, category, i, args, cmd.writes() && ownVault);
            run.input(category, i, outcome, (System.nanoTime() - t0) / 1_000_000);
        }
        System.out.println(run.summary() + "vault builds: " + builds);
        if (!run.failures().isEmpty()) {
            fail(run.failures().size() + " failures of " + run.inputs() + " command lines, seed " + run.seed() + ":\n"
                    + String.join("\n", run.failures()));
        }
    }

    /** Runs {@code tv args} and checks its exit code, its error output and (for a write) the vault. */
    private FuzzRun.Outcome judge(FuzzRun run, String category, int i, List<String> args, boolean write) {
        State before = write ? state() : null;
        Cli.Result res = Cli.raw(args.toArray(String[]::new));
        String input = String.join(" ", args.stream().map(a -> "'" + a + "'").toList());
        List<String> problems = new ArrayList<>();
        if (res.exit() != 0 && res.exit() != 2 && !EXITS.contains(res.exit())) {
            problems.add("exit code " + res.exit());
        }
        if (STACK.matcher(res.err()).find()) {
            problems.add("a stack trace on stderr");
        }
        if (res.exit() == ErrorCode.IO.exitCode() && res.err().contains("MalformedInputException")) {
            problems.add("an input file that is not UTF-8 read as IO, not BAD_ARGUMENT");
        }
        List<String> err = res.errLines();
        if (res.exit() != 0 && (err.isEmpty() || !err.get(err.size() - 1).matches("(tv: [A-Z_]+: |\\{\"error\").*"))) {
            problems.add("no error line on stderr");
        }
        if (write && res.exit() == 0) {
            undo(run, category, i, input);
        } else if (write) {
            State after = read();
            String change = before.changes(after, null);
            if (change == null) {
                state = after;
            } else {
                problems.add("refused, but " + change);
                undo(run, category, i, input);
            }
        }
        if (!problems.isEmpty()) {
            run.fail(category, i, input, String.join("; ", problems) + " (exit " + res.exit() + ")\n    stderr: "
                    + FuzzRun.show(res.err()));
            return FuzzRun.Outcome.FAILED;
        }
        return res.exit() == 0 ? FuzzRun.Outcome.ACCEPTED : FuzzRun.Outcome.REJECTED;
    }

    /** A spec file: generated text under a name ending in .yaml, .yml, .json, or something else. */
    private static String specFile(Random r, Path dir, int i) throws java.io.IOException {
        BuilderSpec spec = FuzzSpecs.spec(r, dir.resolve("seed.csv").toString());
        String ext = switch (r.nextInt(10)) {
            case 0 -> ".txt";
            case 1 -> ".YML";
            case 2 -> "";
            default -> spec.format() == BuilderSpec.Format.YAML ? ".yaml" : ".json";
        };
        if (r.nextInt(20) == 0) {
            return r.nextBoolean() ? dir.toString() : dir + "/" + CliArgs.value(r);
        }
        Path file = dir.resolve("spec-" + i + ext);
        // getBytes, not writeString: a lone surrogate becomes '?' instead of failing the write.
        Files.write(file, spec.text().getBytes(r.nextInt(10) == 0 ? StandardCharsets.UTF_16 : StandardCharsets.UTF_8));
        return file.toString();
    }

    /** A CSV file with a {@code name:type} header, or now and then a path that is not one. */
    private static String csvFile(Random r, Path dir, int i) throws java.io.IOException {
        if (r.nextInt(20) == 0) {
            return r.nextBoolean() ? dir.toString() : dir + "/" + CliArgs.value(r);
        }
        Path file = dir.resolve("w-" + i + ".csv");
        Files.write(file, FuzzCsv.csv(r, true).bytes());
        return file.toString();
    }

    /** The vault's state, read through a read-only handle (the CLI opens it itself for every command). */
    private State state() {
        if (state == null) {
            state = read();
        }
        return state;
    }

    private State read() {
        try (Vault v = TableVault.open(vault, Fixture.options().readOnly(true))) {
            return State.of(v);
        }
    }

    /** Undoes an accepted (or wrongly refused) write; makes the vault again when that cannot be done. */
    private void undo(FuzzRun run, String category, int i, String input) {
        State before = state();
        state = null;
        try (Vault v = TableVault.open(vault, Fixture.options())) {
            if (Fixture.undo(v, before.contents())) {
                return;
            }
        } catch (RuntimeException e) {
            run.fail(category, i, input, "could not undo it: " + e);
        }
        build();
    }

    /** A fresh vault holding the fixture ({@link Fixture#fill}). */
    private void build() {
        vault = root.resolve("vault-" + ++builds);
        try (Vault v = TableVault.open(vault, Fixture.options().create(true))) {
            baseId = Fixture.fill(v);
        }
        state = null;
    }
}
