package dev.tablevault.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tablevault.api.ErrorCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's {@code tv} walk-through, executed: its section is read from README.md, each file it shows
 * ({@code `name`:} then a fenced block) is written to a fresh directory, and its bash block runs there in order, in
 * a child JVM whose working directory that is ({@link WalkthroughChild}). Every command must exit 0 unless its
 * comment says {@code exit N}, and the commands below must print what they are listed with.
 */
class ReadmeWalkthroughTest {
    private static final String TV = "tools/tv --vault stories_tv ";
    /** Key output of commands (after {@code tools/tv --vault stories_tv}); each must occur in the walk-through. */
    private static final Map<String, List<String>> SHOWS = Map.ofEntries(
            Map.entry("show stories", List.of("id:long,title:string,rating:double", "1,The Lighthouse,4.5")),
            Map.entry("execute blurbs --process-id run-1", List.of(
                    "tv: PAUSED: process run-1 (executeInstance) paused", "simulated external failure at row 0",
                    "resume: tv --vault stories_tv resume run-1", "stop: tv --vault stories_tv stop run-1")),
            Map.entry("ps", List.of("run-1", "PAUSED")),
            Map.entry("show blurbs --id TEMP_base",
                    List.of("partial: 0 of 3 rows committed by process run-1 (PAUSED)")),
            Map.entry("resume run-1", List.of("resumed run-1: COMMITTED")),
            Map.entry("show blurbs", List.of("id:long,answer:string", "1,ok-0", "3,ok-2")),
            Map.entry("sql 'SELECT s.title, b.answer FROM stories s JOIN blurbs b ON s.id = b.id ORDER BY s.id'",
                    List.of("title                answer", "The Lighthouse       ok-0", "NULL                 ok-2")),
            Map.entry("instances blurbs", List.of("SUCCESS  ACTIVE", "yes      yes")),
            Map.entry("log run-1", List.of("BEGIN", "END")),
            Map.entry("--json history", List.of("\"executeInstance\"")),
            Map.entry("verify", List.of("ok")));

    @TempDir
    Path tmp;

    @Test
    void theReadmeWalkthroughRunsAsWritten() throws Exception {
        String section = section(Files.readString(readme()), "## The `tv` command");
        Matcher files = Pattern.compile("(?m)^`([\\w.-]+)`[^\\n]*:\\n\\n```\\w*\\n(.*?)```", Pattern.DOTALL)
                .matcher(section);
        List<String> written = new ArrayList<>();
        while (files.find()) {
            Files.writeString(tmp.resolve(files.group(1)), files.group(2));
            written.add(files.group(1));
        }
        assertThat(written).containsExactly("stories.csv", "blurbs_index.yaml", "answer.yaml");
        Matcher bash = Pattern.compile("(?s)```bash\\n(.*?)```").matcher(section);
        assertThat(bash.find()).as("a bash block in the section").isTrue();
        Map<String, Integer> commands = new LinkedHashMap<>();
        Set<String> writesStderr = new HashSet<>();
        for (String line : bash.group(1).split("\n")) {
            int hash = line.indexOf(" #");
            String command = (hash < 0 ? line : line.substring(0, hash)).strip();
            Matcher exit = Pattern.compile("# exit (\\d+)").matcher(line);
            commands.put(command, exit.find() ? Integer.parseInt(exit.group(1)) : 0);
            if (line.contains("on stderr")) {
                writesStderr.add(command);
            }
        }
        Files.write(tmp.resolve("commands.txt"), commands.keySet());

        List<JsonNode> results = runChild();
        assertThat(results).hasSameSizeAs(commands.keySet());
        List<String> seen = new ArrayList<>();
        for (JsonNode r : results) {
            String line = r.get("line").asText();
            String what = r.toPrettyString();
            assertThat(r.get("exit").asInt()).as(what).isEqualTo(commands.get(line));
            if (commands.get(line) == 0 && !writesStderr.contains(line)) {
                assertThat(r.get("err").asText()).as(what).isEmpty();
            }
            if (line.startsWith(TV) && SHOWS.containsKey(line.substring(TV.length()))) {
                seen.add(line.substring(TV.length()));
                assertThat(r.get("out").asText() + r.get("err").asText()).as(what)
                        .contains(SHOWS.get(line.substring(TV.length())));
            }
        }
        assertThat(seen).containsExactlyInAnyOrderElementsOf(SHOWS.keySet());
        assertThat(commands).containsEntry(TV + "execute blurbs --process-id run-1", Errors.PAUSED);
    }

    @Test
    void theReadmeListsEveryExitCode() throws Exception {
        String section = section(Files.readString(readme()), "## The `tv` command");
        assertThat(section).contains("| 0 | ok |", "| 1 |", "| 2 |", "| " + Errors.PAUSED + " |",
                "| " + Errors.INTERRUPTED + " |");
        for (ErrorCode c : ErrorCode.values()) {
            assertThat(section).contains(c.exitCode() + " " + c.name());
        }
    }

    private static Path readme() {
        Path p = Path.of("").toAbsolutePath().getParent().resolve("README.md");   // tests run in tools/
        assertThat(p).exists();
        return p;
    }

    /** From the heading to the next heading of the same level (or the end). */
    private static String section(String text, String heading) {
        int start = text.indexOf(heading + "\n");
        assertThat(start).as("README has '%s'", heading).isNotNegative();
        int end = text.indexOf("\n## ", start + heading.length());
        return text.substring(start, end < 0 ? text.length() : end + 1);
    }

    private List<JsonNode> runChild() throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1"));
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (a.startsWith("--add-") || a.startsWith("--enable-native-access") || a.startsWith("-Dchronicle")) {
                cmd.add(a);
            }
        }
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), WalkthroughChild.class.getName(),
                "commands.txt"));
        Process p = new ProcessBuilder(cmd).directory(tmp.toFile())
                .redirectError(tmp.resolve("child-stderr.txt").toFile()).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(2, TimeUnit.MINUTES)).isTrue();
        assertThat(p.exitValue()).as("child: %s%s", out, Files.readString(tmp.resolve("child-stderr.txt"))).isZero();
        List<JsonNode> results = new ArrayList<>();
        ObjectMapper mapper = new ObjectMapper();
        for (String line : out.split("\n")) {
            results.add(mapper.readTree(line));
        }
        return results;
    }
}
