package dev.tablevault.tools;

import dev.tablevault.api.BuildContext;
import dev.tablevault.api.RowBuilder;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A row-wise builder for tests of {@code tv} in a child JVM, found by class name through ServiceLoader: at row
 * {@code blockAtRow} it prints {@code BLOCKED} on stdout and then hangs, like a service that never answers, while
 * the file {@code blockWhileFileExists} exists; otherwise it returns {@code "ok-<row>"}.
 */
public final class BlockingBuilder implements RowBuilder {
    @Override
    public List<Object> build(BuildContext ctx, long row) throws InterruptedException {
        Path flag = Path.of(String.valueOf(ctx.arguments().get("blockWhileFileExists")));
        if (row == Long.parseLong(String.valueOf(ctx.arguments().get("blockAtRow"))) && Files.exists(flag)) {
            System.out.println("BLOCKED");
            System.out.flush();
            Thread.sleep(Long.MAX_VALUE); // the hung service; the test ends the JVM with SIGINT
        }
        return List.of("ok-" + row);
    }
}
