package dev.tablevault.tools;

import picocli.CommandLine;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Reports a bad command line as one line {@code tv: USAGE: ...} (or JSON) and exits 2. */
final class UsageErrors implements IParameterExceptionHandler {
    @Override
    public int handleParseException(ParameterException ex, String[] args) {
        CommandLine cl = ex.getCommandLine();
        StringBuilder msg = new StringBuilder(String.valueOf(ex.getMessage()));
        if (ex instanceof UnmatchedArgumentException u) {
            List<String> suggestions = u.getSuggestions();
            if (!suggestions.isEmpty()) {
                msg.append("; did you mean ").append(String.join(" or ", suggestions)).append('?');
            }
        }
        msg.append(" (see '").append(cl.getCommandSpec().qualifiedName()).append(" --help')");
        boolean json = Arrays.asList(args).contains("--json");
        int exit = cl.getCommandSpec().exitCodeOnInvalidInput();
        Errors.print(cl.getErr(), json, "USAGE", exit, msg.toString(), Map.of());
        return exit;
    }
}
