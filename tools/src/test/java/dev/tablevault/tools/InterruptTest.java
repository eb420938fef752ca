package dev.tablevault.tools;

import dev.tablevault.engine.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Ctrl-C on {@code tv execute}: a child JVM runs {@code tv execute} until its builder hangs, gets SIGINT, and
 * says what it left and how to resume or stop it; the vault then shows the process active and resumes it.
 */
class InterruptTest {
    @TempDir
    Path tmp;

    @Test
    void ctrlCOnExecuteSaysWhatItLeftAndExits130() throws Exception {
        Path vault = tmp.resolve("vault");
        Cli cli = new Cli(vault);
        Path hang = Files.createFile(tmp.resolve("hang"));
        assertThat(cli.tv("init").exit()).isZero();
        assertThat(cli.tv("create-table", "t").exit()).isZero();
        assertThat(cli.tv("create-instance", "t").exit()).isZero();
        Path index = Files.writeString(tmp.resolve("t_index.yaml"), "name: t_index\ntype: index\nbuilder: range\n"
                + "changedColumns: [id]\ntypes: {id: long}\narguments: {count: 5}\n");
        Path answer = Files.writeString(tmp.resolve("answer.yaml"), "name: answer\ntype: column\nbuilder: "
                + BlockingBuilder.class.getName() + "\nchangedColumns: [answer]\narguments: {blockAtRow: 3,"
                + " blockWhileFileExists: '" + hang + "'}\n");
        assertThat(cli.tv("builder", "put", "t", index.toString()).exit()).isZero();
        assertThat(cli.tv("builder", "put", "t", answer.toString()).exit()).isZero();

        try (ChildJvm child = ChildJvm.start(Tv.class, "--vault", vault.toString(), "execute", "t",
                "--process-id", "run-1", "--checkpoint-rows", "1")) {
            String line;
            do {
                line = child.nextLine();
                assertThat(line).as("child ended before its builder hung:\n%s", child.output()).isNotNull();
            } while (!line.equals("BLOCKED"));
            Process kill = new ProcessBuilder("kill", "-INT", Long.toString(child.process().pid())).start();
            assertThat(kill.waitFor()).isZero();
            while (child.nextLine() != null) {
                // read to the end
            }
            assertThat(child.process().waitFor(2, TimeUnit.MINUTES)).as(child.output()).isTrue();
            assertThat(child.process().exitValue()).as(child.output()).isEqualTo(Errors.INTERRUPTED);
            assertThat(child.output()).contains("tv: INTERRUPTED: interrupted: process run-1 (execute of t) is left"
                    + " RUNNING; once tv has exited, tv ps shows it CRASHED", "resume: tv --vault " + vault + " resume run-1",
                    "stop: tv --vault " + vault + " stop run-1");
        }
        assertThat(cli.tv("ps").out()).as("its runner, the tv that was interrupted, is gone")
                .contains("run-1", "CRASHED");
        Files.delete(hang);
        Cli.Result resumed = cli.tv("resume", "run-1");
        assertThat(resumed.exit()).as(resumed.err()).isZero();
        assertThat(cli.tv("show", "t").outLines()).contains("3,ok-3", "4,ok-4");
    }
}
