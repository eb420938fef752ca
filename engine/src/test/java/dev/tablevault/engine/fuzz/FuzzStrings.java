package dev.tablevault.engine.fuzz;

import java.util.Locale;
import java.util.Random;

/**
 * Seeded generators of the strings a caller may pass where a name goes (table, version, column, builder,
 * process or instance id): valid ones (some calls accept them), empty, blank, reserved names in any case,
 * path-like, unicode, control characters, lone surrogates, too long (up to 100,000 chars), one forbidden
 * character, near-misses of names the fixtures use, and null. Stateless.
 */
public final class FuzzStrings {
    static final String[] RESERVED = {"artifacts", "builders", "self", "index", "locks", "restart", "metadata",
        "code_functions", "temp", "_temp", "execution_archive", "archived_trash", "description.yaml",
        ".tablevault", "~process_id~", "TEMP_"};
    static final String[] PATHS = {"../x", "..", ".", "./a", "/abs", "a/../b", "a/b", "..\\x", "C:\\x", "~", "~/x",
        "//server/x", "a/", "/", "\\", "%2e%2e%2fx", "file:///x", "a\\..\\b"};
    static final String[] UNICODE = {"é", "ü", "ß", "表", "😀", "\u0130", "\u0131", "\u00a0", "\u200b", "\u202e",
        "\u0301", "\uff41", "\ufeff", "\ufffd", "\uffff", "\u2028", "Ω", "\u0660"};
    static final String VALID_FIRST = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    static final String VALID_REST = VALID_FIRST + "_-";
    static final String FORBIDDEN = " /\\.:*?\"'<>|!@#$%^&()+=[]{};,`~\t\n\r";
    static final String[] FIXTURE = {"stories", "other", "draft", "base", "ext", "title", "stories_index", "id",
        "TEMP_draft", "TEMP_ext"};
    static final int[] LONG = {32, 33, 63, 64, 65, 127, 128, 129, 256, 1000, 100_000};

    private FuzzStrings() {
    }

    /** One odd or ordinary name; null about once in 30. */
    public static String name(Random r) {
        return switch (r.nextInt(15)) {
            case 0 -> valid(r, 1 + r.nextInt(12));
            case 1 -> r.nextBoolean() ? "" : " \t\n\u00a0".substring(r.nextInt(4), 4);
            case 2 -> randomCase(r, RESERVED[r.nextInt(RESERVED.length)]);
            case 3 -> PATHS[r.nextInt(PATHS.length)];
            case 4 -> insert(r, valid(r, 1 + r.nextInt(8)), UNICODE[r.nextInt(UNICODE.length)]);
            case 5 -> insert(r, valid(r, 1 + r.nextInt(8)), String.valueOf((char) r.nextInt(32)));
            case 6 -> insert(r, valid(r, 1 + r.nextInt(8)), r.nextBoolean() ? "\ud800" : "\udc00");
            case 7 -> valid(r, LONG[r.nextInt(LONG.length)]);
            case 8 -> insert(r, valid(r, 1 + r.nextInt(8)), String.valueOf(FORBIDDEN.charAt(r.nextInt(FORBIDDEN.length()))));
            case 9 -> r.nextInt(2) == 0 ? null : "null";
            case 10 -> nearMiss(r, FIXTURE[r.nextInt(FIXTURE.length)]);
            case 11 -> idLike(r);
            case 12 -> (r.nextBoolean() ? "_" : "-") + valid(r, 1 + r.nextInt(8));
            case 13 -> randomChars(r, 1 + r.nextInt(20));
            default -> String.valueOf(name(r)) + name(r);
        };
    }

    /** A name of {@code length} chars from {@code [A-Za-z0-9][A-Za-z0-9_-]*}. */
    public static String valid(Random r, int length) {
        StringBuilder sb = new StringBuilder(length).append(VALID_FIRST.charAt(r.nextInt(VALID_FIRST.length())));
        while (sb.length() < length) {
            sb.append(VALID_REST.charAt(r.nextInt(VALID_REST.length())));
        }
        return sb.toString();
    }

    /** Any UTF-16 code units, surrogates and controls included. */
    public static String randomChars(Random r, int length) {
        StringBuilder sb = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            sb.append(switch (r.nextInt(4)) {
                case 0 -> (char) r.nextInt(128);
                case 1 -> (char) r.nextInt(0x10000);
                case 2 -> (char) r.nextInt(32);
                default -> VALID_REST.charAt(r.nextInt(VALID_REST.length()));
            });
        }
        return sb.toString();
    }

    static String randomCase(Random r, String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            sb.append(r.nextBoolean() ? Character.toUpperCase(c) : c);
        }
        return sb.toString();
    }

    static String insert(Random r, String s, String piece) {
        int at = r.nextInt(s.length() + 1);
        return s.substring(0, at) + piece + s.substring(at);
    }

    /** {@code s} with one character deleted, doubled, replaced, or its case changed. */
    static String nearMiss(Random r, String s) {
        int at = r.nextInt(s.length());
        return switch (r.nextInt(4)) {
            case 0 -> s.substring(0, at) + s.substring(at + 1);
            case 1 -> s.substring(0, at + 1) + s.substring(at);
            case 2 -> s.substring(0, at) + FORBIDDEN.charAt(r.nextInt(FORBIDDEN.length())) + s.substring(at + 1);
            default -> s.toUpperCase(Locale.ROOT);
        };
    }

    /** Strings shaped like instance or process ids, well-formed or not. */
    static String idLike(Random r) {
        return switch (r.nextInt(5)) {
            case 0 -> "TEMP_" + name(r);
            case 1 -> valid(r, 4) + "_" + r.nextLong() + "_" + Long.toHexString(r.nextLong());
            case 2 -> "base_" + Math.abs(r.nextInt()) + "_" + String.format("%08x", r.nextInt());
            case 3 -> java.util.UUID.nameUUIDFromBytes(new byte[] {(byte) r.nextInt()}).toString();
            default -> valid(r, 3) + ":" + valid(r, 3) + "." + valid(r, 3);
        };
    }
}
