package dev.tablevault.tools;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code --help} text of {@code tv} and of every subcommand, word for word: option names, parameter labels,
 * defaults, descriptions and the exit-code list are the CLI's contract. The golden file {@code tv-help.txt} was
 * captured from the CLI as it was before its classes were reorganized; a deliberate change of the CLI (a new
 * option, a new {@code ErrorCode}) updates that file in the same commit.
 */
class HelpTextTest {
    @Test
    void everyHelpTextIsAsRecorded() throws IOException {
        String golden;
        try (InputStream in = HelpTextTest.class.getResourceAsStream("tv-help.txt")) {
            assertThat(in).as("golden file tv-help.txt").isNotNull();
            golden = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(allHelp()).isEqualTo(golden);
    }

    /** {@code tv --help}, then {@code tv COMMAND --help} for every command and subcommand, in declaration order. */
    private static String allHelp() {
        StringBuilder all = new StringBuilder();
        for (List<String> command : commands(Tv.newCommandLine(), List.of())) {
            List<String> args = new ArrayList<>(command);
            args.add("--help");
            Cli.Result r = Cli.raw(args.toArray(String[]::new));
            all.append("$ tv ").append(String.join(" ", args)).append(" (exit ").append(r.exit()).append(")\n");
            all.append(r.out()).append(r.err().isEmpty() ? "" : "stderr: " + r.err());
        }
        return all.toString();
    }

    private static List<List<String>> commands(CommandLine cl, List<String> path) {
        List<List<String>> all = new ArrayList<>();
        all.add(path);
        cl.getSubcommands().forEach((name, sub) -> {
            List<String> p = new ArrayList<>(path);
            p.add(name);
            all.addAll(commands(sub, p));
        });
        return all;
    }
}
