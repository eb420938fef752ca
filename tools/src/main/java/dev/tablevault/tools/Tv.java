package dev.tablevault.tools;

import dev.tablevault.api.ErrorCode;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * The {@code tv} command: inspects and changes a vault. Global options are inherited by every subcommand, so
 * they may stand before or after the subcommand name. Exit codes: 0 ok, 1 unexpected error, 2 usage, 3 paused,
 * 130 interrupted, else {@link ErrorCode#exitCode()}. Each subcommand is a class named after it plus {@code Command}:
 * {@code create-table} is {@link CreateTableCommand}, {@code builder put} is {@link BuilderPutCommand}.
 */
@Command(name = "tv", modelTransformer = Tv.ExitCodes.class, versionProvider = TvVersion.class,
        description = "Inspect and change a TableVault vault.",
        synopsisSubcommandLabel = "COMMAND",
        exitCodeListHeading = "%nExit codes:%n",
        footer = {"", "Errors go to stderr as one line 'tv: CODE: message' (with --json: one JSON object).",
            "Shell completion (bash, zsh): source <(tv generate-completion)"},
        subcommands = {
            InitCommand.class, CreateTableCommand.class, RenameTableCommand.class, DeleteTableCommand.class,
            CreateInstanceCommand.class, DeleteInstanceCommand.class, BuilderCommand.class, WriteCommand.class,
            StopCommand.class, ResumeCommand.class, RestartCommand.class, GenerateProcessIdCommand.class,
            TablesCommand.class, InstancesCommand.class, ShowCommand.class, ExportCommand.class, SqlCommand.class,
            PsCommand.class, TopCommand.class, LocksCommand.class, HostsCommand.class,
            HistoryCommand.class, LogCommand.class, VerifyCommand.class, StatsCommand.class, RecoverCommand.class,
            ExecuteCommand.class, DemoCommand.class, GenerateCompletionCommand.class})
public final class Tv implements Callable<Integer> {
    @Option(names = "--vault", paramLabel = "DIR|URL", scope = ScopeType.INHERIT,
            description = "The vault directory, or a postgresql:// URL (a vault shared by hosts).")
    String vault;

    @Option(names = "--json", scope = ScopeType.INHERIT, description = "Print one JSON object instead of text.")
    boolean json;

    @Option(names = "--author", paramLabel = "NAME", scope = ScopeType.INHERIT,
            defaultValue = "${sys:user.name:-unknown}",
            description = "Recorded on the processes this command starts (default: the OS user).")
    String author;

    @Option(names = {"-h", "--help"}, usageHelp = true, scope = ScopeType.INHERIT, description = "Show this help.")
    boolean help;

    @Option(names = "--version", versionHelp = true, description = "Print the version of tv and exit.")
    boolean version;

    @Spec
    CommandSpec spec;

    /** Runs the command and exits with its code. */
    public static void main(String[] args) {
        System.setProperty("chronicle.analytics.disable", "true");
        System.setProperty("chronicle.announcer.disable", "true");
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        }
        System.exit(newCommandLine().execute(args));
    }

    /** The command line {@link #main} runs: usage errors print one line (or JSON) instead of the usage text. */
    public static CommandLine newCommandLine() {
        return new CommandLine(new Tv()).setParameterExceptionHandler(new UsageErrors());
    }

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "missing COMMAND");
    }

    /** Lists the exit codes in {@code --help}, one per {@link ErrorCode}. */
    static final class ExitCodes implements CommandLine.IModelTransformer {
        @Override
        public CommandSpec transform(CommandSpec spec) {
            Map<String, String> codes = new LinkedHashMap<>();
            codes.put("0", "ok");
            codes.put("1", "unexpected error (not a TableVault error)");
            codes.put("2", "usage: bad command line");
            codes.put(Integer.toString(Errors.PAUSED), "paused: the process paused on an error; resume or stop it");
            for (ErrorCode c : ErrorCode.values()) {
                codes.put(Integer.toString(c.exitCode()), c.name());
            }
            codes.put(Integer.toString(Errors.INTERRUPTED), "interrupted (Ctrl-C)");
            spec.usageMessage().exitCodeList(codes);
            return spec;
        }
    }
}
