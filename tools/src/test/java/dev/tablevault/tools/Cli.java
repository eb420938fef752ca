package dev.tablevault.tools;

import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Runs {@code tv} in this JVM, as {@link Tv#main} would, capturing its output. */
final class Cli {
    private final Path vault;

    Cli(Path vault) {
        this.vault = vault;
    }

    /** The result of one run. */
    record Result(int exit, String out, String err) {
        List<String> outLines() {
            return out.isEmpty() ? List.of() : List.of(out.split("\n"));
        }

        /** The first column of a table printed with a header line (tv instances, ps): the ids. */
        List<String> ids() {
            return outLines().stream().skip(1).map(l -> l.split("\\s+")[0]).toList();
        }

        List<String> errLines() {
            return err.isEmpty() ? List.of() : List.of(err.split("\n"));
        }
    }

    /** {@code tv --vault VAULT args...}. */
    Result tv(String... args) {
        List<String> all = new ArrayList<>(List.of("--vault", vault.toString()));
        all.addAll(List.of(args));
        return raw(all.toArray(String[]::new));
    }

    /** {@code tv args...} without {@code --vault}. */
    static Result raw(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Tv.newCommandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute(args);
        return new Result(exit, out.toString().replace("\r\n", "\n"), err.toString().replace("\r\n", "\n"));
    }
}
