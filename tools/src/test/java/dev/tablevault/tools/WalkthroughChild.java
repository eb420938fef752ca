package dev.tablevault.tools;

import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs the README's walk-through in this JVM, whose working directory is the walk-through's: each line of the file
 * {@code args[0]} is {@code touch F}, {@code rm F} or {@code tools/tv ARGS} (run as {@link Tv#main} would, without
 * exiting); prints one JSON line per command: {@code {line, exit, out, err}}.
 */
public final class WalkthroughChild {
    private WalkthroughChild() {
    }

    public static void main(String[] args) throws Exception {
        for (String line : Files.readAllLines(Path.of(args[0]))) {
            // Words split at blanks; a 'single-quoted' word keeps its blanks (tv sql's query).
            List<String> words = new ArrayList<>();
            Matcher w = Pattern.compile("'([^']*)'|(\\S+)").matcher(line);
            while (w.find()) {
                words.add(w.group(1) != null ? w.group(1) : w.group(2));
            }
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            int exit = switch (words.get(0)) {
                case "touch" -> {
                    Files.createFile(Path.of(words.get(1)));
                    yield 0;
                }
                case "rm" -> {
                    Files.delete(Path.of(words.get(1)));
                    yield 0;
                }
                case "tools/tv" -> {
                    CommandLine cl = Tv.newCommandLine();
                    cl.setOut(new PrintWriter(out, true));
                    cl.setErr(new PrintWriter(err, true));
                    yield cl.execute(words.subList(1, words.size()).toArray(String[]::new));
                }
                default -> throw new IllegalArgumentException("not a walk-through command: " + line);
            };
            System.out.println(Json.write(Json.obj("line", line, "exit", exit, "out", out.toString(), "err",
                    err.toString())));
            System.out.flush();
        }
    }
}
