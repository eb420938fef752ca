package dev.tablevault.engine.fuzz;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Seeded text mutations of YAML and JSON specs: anchors and alias bombs ("billion laughs"), merge keys,
 * tags, duplicated keys, tabs, control and binary characters, BOM, CRLF, cuts, trailing documents, and the
 * JSON extensions a strict parser refuses. Stateless.
 */
final class FuzzText {
    static final String[] TAGS = {"!!binary aGVsbG8=", "!!binary '%%%'", "!!int 12", "!!int x", "!!float .nan",
        "!!str 1", "!!java.io.File /tmp", "!!set {a, b}", "!!omap [a: 1]", "!!timestamp 2001-12-14", "!<!foo> x",
        "!!python/object:os.system x", "!!null ''", "!!bool yes", "!!map {}", "!!seq []"};
    static final String[] JSON_BITS = {"// comment\n", "/* c */", "'single'", "{a: 1}", ",", ",]", ",}", "NaN",
        "Infinity", "01", "\"\\x41\"", "\"\\ud800\"", "\"\\u0000\"", "\u0000", "\ufeff", "]", "}", "[", "{"};

    private FuzzText() {
    }

    /** {@code text} (YAML) with one change. */
    static String yaml(Random r, String text) {
        return switch (r.nextInt(14)) {
            case 0 -> billionLaughs(r, 2 + r.nextInt(9)) + text;
            case 1 -> aliases(r, text);
            case 2 -> "base: &b {type: column, builder: template}\n<<: *b\n" + text;
            case 3 -> replaceValue(r, text, TAGS[r.nextInt(TAGS.length)]);
            case 4 -> duplicateLine(r, text);
            case 5 -> indentLine(r, text, r.nextBoolean() ? "\t" : " ".repeat(1 + r.nextInt(3)));
            case 6 -> text + "---\nname: second\n" + (r.nextBoolean() ? "..." : "");
            case 7 -> text.replaceFirst("(?m)^(\\s*)- ", "$1- &x ") + (r.nextBoolean() ? "dependencies: *x\n" : "");
            default -> common(r, text);
        };
    }

    /** {@code text} (JSON) with one change. */
    static String json(Random r, String text) {
        return switch (r.nextInt(10)) {
            case 0 -> FuzzStrings.insert(r, text, JSON_BITS[r.nextInt(JSON_BITS.length)]);
            case 1 -> text.replaceFirst("\\{", "{\"name\": \"dup\", ");
            case 2 -> text + (r.nextBoolean() ? " {}" : " garbage");
            case 3 -> text.replace("\"", "'");
            default -> common(r, text);
        };
    }

    /** Changes that break either syntax alike. */
    static String common(Random r, String text) {
        return switch (r.nextInt(9)) {
            case 0 -> text.substring(0, r.nextInt(text.length() + 1));
            case 1 -> FuzzStrings.insert(r, text, String.valueOf((char) r.nextInt(32)));
            case 2 -> FuzzStrings.insert(r, text, FuzzStrings.randomChars(r, 1 + r.nextInt(8)));
            case 3 -> "\ufeff" + text;
            case 4 -> text.replace("\n", "\r\n");
            case 5 -> text.replace("\n", "\r");
            case 6 -> {
                int a = r.nextInt(text.length() + 1);
                int b = Math.min(text.length(), a + r.nextInt(10));
                yield text.substring(0, a) + text.substring(b);
            }
            case 7 -> new String(bytes(r, text), java.nio.charset.StandardCharsets.ISO_8859_1);
            default -> FuzzStrings.insert(r, text, "\ud800");
        };
    }

    /** Nine anchors, each a list of nine aliases of the one before: 9^levels strings once expanded. */
    static String billionLaughs(Random r, int levels) {
        StringBuilder sb = new StringBuilder("l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for (int i = 1; i < levels; i++) {
            sb.append('l').append(i).append(": &l").append(i).append(" [");
            for (int j = 0; j < 9; j++) {
                sb.append(j == 0 ? "" : ", ").append("*l").append(i - 1);
            }
            sb.append("]\n");
        }
        return r.nextBoolean() ? sb.toString() : "arguments:\n" + sb.toString().replaceAll("(?m)^", "  ");
    }

    /** Anchors one value and refers to it (or to an anchor that does not exist) from another field. */
    static String aliases(Random r, String text) {
        String anchored = text.replaceFirst("(?m)^name: ", "name: &n ");
        return switch (r.nextInt(3)) {
            case 0 -> anchored.replaceFirst("(?m)^builder: .*$", "builder: *n");
            case 1 -> anchored.replaceFirst("(?m)^type: .*$", "type: *missing");
            default -> anchored + "codeVersion: *n\n";
        };
    }

    /** A random line's value replaced by {@code value}. */
    static String replaceValue(Random r, String text, String value) {
        List<String> lines = new ArrayList<>(Arrays.asList(text.split("\n", -1)));
        int i = r.nextInt(lines.size());
        int colon = lines.get(i).indexOf(": ");
        if (colon >= 0) {
            lines.set(i, lines.get(i).substring(0, colon + 2) + value);
        }
        return String.join("\n", lines);
    }

    static String duplicateLine(Random r, String text) {
        List<String> lines = new ArrayList<>(Arrays.asList(text.split("\n", -1)));
        int i = r.nextInt(lines.size());
        lines.add(r.nextInt(lines.size() + 1), lines.get(i));
        return String.join("\n", lines);
    }

    static String indentLine(Random r, String text, String indent) {
        List<String> lines = new ArrayList<>(Arrays.asList(text.split("\n", -1)));
        int i = r.nextInt(lines.size());
        lines.set(i, indent + lines.get(i));
        return String.join("\n", lines);
    }

    /** The text's UTF-8 bytes with one byte flipped. */
    static byte[] bytes(Random r, String text) {
        byte[] b = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        if (b.length > 0) {
            b[r.nextInt(b.length)] ^= (byte) (1 << r.nextInt(8));
        }
        return b;
    }
}
