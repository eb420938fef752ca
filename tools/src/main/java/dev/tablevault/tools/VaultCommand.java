package dev.tablevault.tools;

import dev.tablevault.api.Vault;
import dev.tablevault.api.VaultOptions;
import dev.tablevault.engine.TableVault;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * Base of every subcommand that does work (all but the group {@link BuilderCommand}): reaches the global options, opens the vault, prints results as text or JSON on
 * {@code spec.commandLine().getOut()}, and turns exceptions into one error line and an exit code.
 */
abstract class VaultCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    /** Does the work; throws to fail. */
    abstract void execute() throws Exception;

    @Override
    public final Integer call() {
        try {
            execute();
            return 0;
        } catch (ParameterException e) {
            throw e;
        } catch (Exception e) {
            Integer paused = Paused.report(this, e);
            return paused != null ? paused : Errors.report(spec.commandLine().getErr(), json(), root().vault, e);
        } finally {
            out().flush();
        }
    }

    /**
     * The process this command runs or resumes under an id the operator knows, which an external error leaves
     * paused: the value of {@code --process-id} by default.
     */
    String processId() {
        var option = spec.findOption("--process-id");
        return option == null ? null : option.getValue();
    }

    /** The {@code --vault} directory as given, or null. */
    final Path vaultOrNull() {
        return root().vault;
    }

    /** The {@code tv} command, which holds the global options. */
    private Tv root() {
        return (Tv) spec.root().userObject();
    }

    /** Whether {@code --json} was given. */
    final boolean json() {
        return root().json;
    }

    /** Standard output of this command line. */
    final PrintWriter out() {
        return spec.commandLine().getOut();
    }

    /** The {@code --vault} directory. */
    final Path vaultDir() {
        Path dir = root().vault;
        if (dir == null) {
            throw new ParameterException(spec.commandLine(), "Missing required option: '--vault=DIR'");
        }
        return dir;
    }

    /** Options for this command's open: the author plus nothing else. */
    final VaultOptions options() {
        // tv never trims finished processes: the retention is the application's choice, which tv does not know.
        return VaultOptions.defaults().author(root().author).keepFinishedProcesses(Integer.MAX_VALUE);
    }

    /** Opens the vault for writing; this OS process becomes its owner until the command ends. */
    final Vault openWritable() {
        return TableVault.open(vaultDir(), options());
    }

    /** Opens the vault for inspection; works while another OS process owns it. */
    final Vault openReadOnly() {
        return TableVault.open(vaultDir(), options().readOnly(true));
    }

    /** Prints {@code json} as one JSON object with {@code --json}, else {@code text} (nothing when empty). */
    final void print(Map<String, Object> json, String text) {
        if (json()) {
            out().println(Json.write(json));
        } else if (!text.isEmpty()) {
            out().println(text);
        }
    }

    /**
     * Prints the result of a write that ran as process {@code processId}: with {@code --json} the object
     * {@code keysAndValues} plus {@code processId}, else {@code text} plus {@code (process PID)}.
     */
    final void printWrite(String processId, String text, Object... keysAndValues) {
        Map<String, Object> json = Json.obj(keysAndValues);
        json.put("processId", processId);
        print(json, text + " (process " + processId + ")");
    }
}
