package dev.tablevault.tools;

import dev.tablevault.api.ErrorCode;
import dev.tablevault.api.TvArgumentException;
import dev.tablevault.api.Vault;
import dev.tablevault.api.VaultOptions;
import dev.tablevault.engine.TableVault;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.InvalidPathException;
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

    /** The {@code --vault} directory or URL as given, or null. */
    final String vaultOrNull() {
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

    /** The {@code --vault} directory or PostgreSQL URL, as given. */
    final String vaultLocation() {
        String location = root().vault;
        if (location == null) {
            throw new ParameterException(spec.commandLine(), "Missing required option: '--vault=DIR|URL'");
        }
        if (!TableVault.isShared(location)) {
            try {
                Path.of(location);
            } catch (InvalidPathException e) {
                throw new ParameterException(spec.commandLine(), "Invalid value for option '--vault': '" + location
                        + "' is neither a path nor a postgresql:// URL (" + e.getMessage() + ")", e, null, location);
            }
        }
        return location;
    }

    /** Whether {@code --vault} names a vault shared by hosts (a PostgreSQL URL) rather than a directory. */
    final boolean sharedVault() {
        return TableVault.isShared(vaultLocation());
    }

    /** The {@code --vault} directory, for what only a directory vault has; a URL is refused with BAD_ARGUMENT. */
    final Path vaultDir() {
        if (sharedVault()) {
            throw new TvArgumentException(ErrorCode.BAD_ARGUMENT, "tv " + spec.name() + " works on a vault"
                    + " directory, and --vault names a vault shared by hosts (a PostgreSQL URL): use tv ps and"
                    + " tv hosts there");
        }
        return Path.of(vaultLocation());
    }

    /** Options for this command's open: the author plus nothing else. */
    final VaultOptions options() {
        // tv never trims finished processes: the retention is the application's choice, which tv does not know.
        VaultOptions o = VaultOptions.defaults().author(root().author).keepFinishedProcesses(Integer.MAX_VALUE);
        // A shared vault's board is per host and tv is a new host each run: tv ps reads the store there instead.
        return sharedVault() ? o.board(false) : o;
    }

    /** Opens the vault for writing; this OS process becomes its owner until the command ends. */
    final Vault openWritable() {
        return TableVault.open(vaultLocation(), options());
    }

    /** Opens the vault for inspection; works while another OS process owns it. */
    final Vault openReadOnly() {
        return TableVault.open(vaultLocation(), options().readOnly(true));
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
