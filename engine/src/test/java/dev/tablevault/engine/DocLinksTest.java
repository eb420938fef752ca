package dev.tablevault.engine;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The repository's Markdown (README.md and docs/*.md) points only at files that exist inside the repository:
 * every relative link and every {@code docs/<name>.md} mention resolves to a file, and no link or backquoted
 * relative path leaves the repository. A renamed or moved doc with a stale reference fails here.
 */
class DocLinksTest {
    /** {@code [text](target)}: the target up to an anchor or the closing parenthesis. */
    private static final Pattern LINK = Pattern.compile("\\]\\(([^)#\\s]*)(?:#[^)]*)?\\)");
    /** A mention of a doc by its repository path, in text, code or a comment. */
    private static final Pattern DOC_PATH = Pattern.compile("(?<![\\w./-])docs/[\\w-]+\\.md");
    /** A backquoted path that starts by going up a folder. */
    private static final Pattern UP_PATH = Pattern.compile("`(\\.\\./[^`\\s]*)`");

    @Test
    void everyDocReferenceResolvesInsideTheRepository() throws IOException {
        Path root = Path.of("").toAbsolutePath().getParent();
        List<Path> docs = new ArrayList<>();
        docs.add(root.resolve("README.md"));
        try (Stream<Path> s = Files.list(root.resolve("docs"))) {
            s.filter(p -> p.toString().endsWith(".md")).sorted().forEach(docs::add);
        }
        assertThat(docs).contains(root.resolve("docs/ARCHITECTURE.md"), root.resolve("docs/BENCHMARKS.md"));
        List<String> broken = new ArrayList<>();
        for (Path doc : docs) {
            String text = Files.readString(doc);
            Matcher m = LINK.matcher(text);
            while (m.find()) {
                String target = m.group(1);
                if (!target.isEmpty() && !target.contains("://") && !target.startsWith("mailto:")) {
                    check(root, doc, doc.getParent().resolve(target), target, broken);
                }
            }
            m = DOC_PATH.matcher(text);
            while (m.find()) {
                check(root, doc, root.resolve(m.group()), m.group(), broken);
            }
            m = UP_PATH.matcher(text);
            while (m.find()) {
                check(root, doc, doc.getParent().resolve(m.group(1)), m.group(1), broken);
            }
        }
        assertThat(broken).as("references that do not resolve inside the repository").isEmpty();
    }

    private static void check(Path root, Path doc, Path resolved, String as, List<String> broken) {
        Path p = resolved.normalize();
        if (!p.startsWith(root) || !Files.exists(p)) {
            broken.add(root.relativize(doc) + ": " + as);
        }
    }
}
