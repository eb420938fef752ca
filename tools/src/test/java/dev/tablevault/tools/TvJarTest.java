package dev.tablevault.tools;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packaged {@code tv.jar} is self-contained: copied alone to another directory, it runs in a child JVM with
 * no flags. Runs after {@code package} (the surefire execution {@code packaged-jar}), which passes the jar's path.
 */
class TvJarTest {
    @TempDir
    Path tmp;

    @Test
    void theJarRunsWhenCopiedElsewhere() throws Exception {
        Path built = Path.of(System.getProperty("tv.jar", "target/tv.jar"));
        assertThat(built).as("run by the packaged-jar execution, after package").exists();
        Path jar = Files.copy(built, tmp.resolve("tv.jar"));

        Result version = run(jar, "--version");
        assertThat(version.exit()).as(version.out()).isZero();
        assertThat(version.out()).isEqualTo("tv " + TvVersion.version() + "\n");

        Result init = run(jar, "--vault", tmp.resolve("vault").toString(), "init");
        assertThat(init.exit()).as(init.out()).isZero();
        Result tables = run(jar, "--vault", tmp.resolve("vault").toString(), "create-table", "stories");
        assertThat(tables.exit()).as(tables.out()).isZero();
    }

    private record Result(int exit, String out) {
    }

    /** {@code java -jar JAR args} in {@code tmp}, stdout and stderr together. */
    private Result run(Path jar, String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar.toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(tmp.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(2, TimeUnit.MINUTES)).as("tv still running:\n%s", out).isTrue();
        return new Result(p.exitValue(), out.replace("\r\n", "\n"));
    }
}
