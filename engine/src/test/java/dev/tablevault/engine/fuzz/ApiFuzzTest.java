package dev.tablevault.engine.fuzz;

import dev.tablevault.api.BuilderSpec;
import dev.tablevault.api.OpOptions;
import dev.tablevault.api.ProcessInfo;
import dev.tablevault.api.VaultOptions;
import dev.tablevault.engine.TableVault;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Bad-input fuzz of the Java API (issue "no silent loss"): generated names in every name slot
 * ({@link NameOps}), mutated builder specs ({@link FuzzSpecs}) and references ({@link FuzzRefs}), CSV files
 * for the {@code csv} builder ({@link FuzzCsv}), and vault paths. Every rejection must be a typed error that
 * changes nothing ({@link Attempts}); one accepted spec in 10 is executed and judged the same way.
 *
 * <p>{@code ./mvnw verify} runs 500 inputs; {@code -Dfuzz.inputs=10000} runs more, {@code -Dfuzz.seed=N}
 * others, and {@code -Dfuzz.only=I} input I alone. The counts per category go to standard output.
 */
class ApiFuzzTest {
    /** Input {@code i} is of category {@code CATEGORIES[i % 20]}. */
    private static final String[] CATEGORIES = {"names", "names", "names", "names", "names", "names", "names",
        "names", "specs", "specs", "specs", "specs", "specs", "references", "references", "references", "csv", "csv",
        "csv", "vaultPaths"};
    private static final String NAME_OPS = "names";

    @TempDir
    Path root;

    @Test
    void badInputsGetTypedErrorsAndChangeNothing() throws Exception {
        FuzzRun run = FuzzRun.fromProperties("API", "fuzz.inputs", 500);
        try (Fixture fx = new Fixture(root)) {
            Attempts attempts = new Attempts(fx, run);
            Executions executions = new Executions(fx, attempts);
            List<ProcessInfo> history = fx.vault.processHistory(Integer.MAX_VALUE);
            List<NameOps.Op> ops = NameOps.all(fx.baseId);
            for (int i = 0; i < run.inputs(); i++) {
                if (!run.selected(i)) {
                    continue;
                }
                Random r = run.random(i);
                String category = CATEGORIES[i % CATEGORIES.length];
                long t0 = System.nanoTime();
                FuzzRun.Outcome outcome;
                switch (category) {
                    case NAME_OPS -> {
                        NameOps.Op op = ops.get(r.nextInt(ops.size()));
                        category = NAME_OPS + "." + op.name();
                        outcome = names(attempts, op, r, i);
                    }
                    case "specs", "references" -> {
                        BuilderSpec spec = category.equals("specs") ? FuzzSpecs.spec(r, fx.csv.toString())
                                : reference(r);
                        outcome = attempts.attempt(category, i, spec.format() + ":" + spec.text(), null,
                                v -> v.putBuilder("stories", "draft", spec, OpOptions.defaults()));
                        if (outcome == FuzzRun.Outcome.ACCEPTED && r.nextInt(10) == 0
                                && executions.spec(category, i, spec) != null) {
                            run.executed(category);
                        }
                    }
                    case "csv" -> outcome = executions.csv(category, i, FuzzCsv.csv(r, false),
                            root.resolve("in-" + i + ".csv"));
                    default -> outcome = vaultPath(attempts, run, fx, r, i);
                }
                run.input(category, i, outcome, (System.nanoTime() - t0) / 1_000_000);
            }
            System.out.println(run.summary() + "fixture builds: " + fx.builds());
            if (fx.builds() == 1) {
                // Rejections left the history alone: every process the fixture had is still there, unchanged.
                assertThat(fx.vault.processHistory(Integer.MAX_VALUE)).containsAll(history);
            }
        }
        if (!run.failures().isEmpty()) {
            fail(run.failures().size() + " failures of " + run.inputs() + " inputs, seed " + run.seed() + ":\n"
                    + String.join("\n", run.failures()));
        }
    }

    /** {@code op} with one or two slots replaced by generated strings. */
    private static FuzzRun.Outcome names(Attempts attempts, NameOps.Op op, Random r, int i) {
        String[] a = op.defaults().clone();
        int slots = r.nextInt(4) == 0 ? 2 : 1;
        for (int k = 0; k < slots; k++) {
            a[r.nextInt(a.length)] = FuzzStrings.name(r);
        }
        List<String> changed = new ArrayList<>();
        List<String> shown = new ArrayList<>();
        for (int k = 0; k < a.length; k++) {
            shown.add(a[k] == null ? "null" : "\"" + a[k] + "\"");
            if (!java.util.Objects.equals(a[k], op.defaults()[k])) {
                changed.add(a[k]);
            }
        }
        // A single generated value is what a BAD_ARGUMENT must name (null may stand for a default: not checked).
        String offending = changed.size() == 1 ? changed.get(0) : null;
        return attempts.attempt(NAME_OPS + "." + op.name(), i, op.name() + shown, offending, v -> op.call().run(v, a));
    }

    /** A template (or copy) builder whose argument is a generated reference. */
    private static BuilderSpec reference(Random r) {
        String ref = FuzzRefs.ref(r).replace("\\", "\\\\").replace("\"", "\\\"");
        return r.nextBoolean()
                ? BuilderSpec.fromJson("{\"name\": \"title\", \"type\": \"column\", \"builder\": \"template\","
                        + " \"changedColumns\": [\"title\"], \"arguments\": {\"template\": [\"" + ref + "\"]}}")
                : BuilderSpec.fromJson("{\"name\": \"copied\", \"type\": \"column\", \"builder\": \"copy\","
                        + " \"mode\": \"whole-column\", \"changedColumns\": [\"copied\"], \"arguments\": {\"from\": \""
                        + ref + "\"}}");
    }

    /**
     * Opens a generated path: creating only inside the sandbox, otherwise plain, read-only or restart opens,
     * which must create nothing; now and then the fixture's own (open) vault.
     */
    private FuzzRun.Outcome vaultPath(Attempts attempts, FuzzRun run, Fixture fx, Random r, int i) throws Exception {
        Path sandbox = Files.createDirectories(root.resolve("sandbox"));
        Path p;
        try {
            p = r.nextInt(10) == 0 ? fx.dir() : sandbox.resolve(String.valueOf(FuzzStrings.name(r)));
        } catch (InvalidPathException e) {
            return FuzzRun.Outcome.REJECTED; // not a Path at all: refused before any vault call
        }
        VaultOptions o = switch (r.nextInt(4)) {
            case 0 -> Fixture.options().create(p.normalize().startsWith(sandbox) && !p.normalize().equals(sandbox));
            case 1 -> Fixture.options().readOnly(true);
            case 2 -> Fixture.options().restart(true);
            default -> Fixture.options().create(r.nextBoolean()).readOnly(true);
        };
        boolean existed = Files.exists(p);
        Path path = p;
        FuzzRun.Outcome outcome = attempts.attempt("vaultPaths", i, path + " " + o, null,
                v -> TableVault.open(path, o).close());
        if (outcome != FuzzRun.Outcome.ACCEPTED && !existed && Files.exists(p)) {
            run.fail("vaultPaths", i, path + " " + o, "a refused open created " + p);
        }
        return outcome;
    }
}
