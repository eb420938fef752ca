package dev.tablevault.engine.fuzz;

import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Seeded CSV files: a well-formed file of typed columns with odd cell values, then byte mutations (random
 * bytes, BOMs, UTF-16 and Latin-1 encodings, invalid UTF-8, ragged rows, stray quotes, huge fields, NUL
 * bytes, CR line ends, many columns, empty files). Stateless.
 */
public final class FuzzCsv {
    /** Column types as the spec's {@code types} and the CLI header name them. */
    static final String[] TYPES = {"long", "double", "boolean", "string", "bytes", "timestamp", "duration",
        "string", "long", "object", "artifact", "LONG", "complex"};
    static final String[] ODD_CELLS = {"", " ", "9223372036854775808", "-9223372036854775809", "1e999", "NaN",
        "-0", "0x10", "TRUE", "yes", "2024-13-01T00:00:00Z", "2024-01-01", "PT", "P1D", "PT-1S", "!!!", "====",
        "=cmd()", "null", "\u00e9t\u00e9", "表", "😀", "\"", "a\"b", "a,b", "a\nb", "a\rb", "\u0000", "\ufeff1",
        "\ud800"};
    static final byte[] BAD_UTF8 = {(byte) 0xC3, (byte) 0xFF, (byte) 0xC0, (byte) 0x80, (byte) 0xED, (byte) 0xA0,
        (byte) 0xFE, (byte) 0xF8};

    /** One generated file; {@code types} parallel to {@code columns}. */
    public record Input(byte[] bytes, List<String> columns, List<String> types, boolean header, char delimiter) {
    }

    private FuzzCsv() {
    }

    /**
     * A file whose header (when it has one) names the columns, or with {@code typedHeader} the
     * {@code name:type} cells the CLI reads (comma-separated: the CLI reads no other delimiter). One file in
     * four is well-formed: readable types and values, at least one row, no mutation.
     */
    public static Input csv(Random r, boolean typedHeader) {
        boolean clean = r.nextInt(4) == 0;
        int k = 1 + r.nextInt(4);
        List<String> columns = new ArrayList<>();
        List<String> types = new ArrayList<>();
        for (int c = 0; c < k; c++) {
            columns.add(!clean && r.nextInt(20) == 0 ? String.valueOf(FuzzStrings.name(r)) : "c" + c);
            types.add(r.nextInt(3) != 0 ? "string" : clean ? TYPES[r.nextInt(7)] : TYPES[r.nextInt(TYPES.length)]);
        }
        boolean header = typedHeader || r.nextInt(4) != 0;
        char delimiter = !typedHeader && !clean && r.nextInt(8) == 0 ? ";,\t|".charAt(r.nextInt(4)) : ',';
        StringBuilder sb = new StringBuilder();
        if (header) {
            List<String> cells = new ArrayList<>();
            for (int c = 0; c < k; c++) {
                cells.add(typedHeader ? columns.get(c) + ":" + types.get(c) : columns.get(c));
            }
            line(sb, cells, delimiter);
        }
        int rows = (clean ? 1 : 0) + r.nextInt(8);
        for (int i = 0; i < rows; i++) {
            List<String> cells = new ArrayList<>();
            for (int c = 0; c < k; c++) {
                cells.add(cell(r, types.get(c), i, clean));
            }
            line(sb, cells, delimiter);
        }
        Charset cs = !clean && r.nextInt(10) == 0 ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8;
        byte[] bytes = sb.toString().getBytes(cs);
        int m = clean ? 0 : r.nextInt(3);
        for (int i = 0; i < m; i++) {
            bytes = mutate(r, bytes, sb.toString(), delimiter);
        }
        return new Input(bytes, columns, types, header, delimiter);
    }

    static String cell(Random r, String type, int row, boolean clean) {
        if (!clean && r.nextInt(4) == 0) {
            return ODD_CELLS[r.nextInt(ODD_CELLS.length)];
        }
        return switch (type.toLowerCase(java.util.Locale.ROOT)) {
            case "long" -> Long.toString(row - 3L * r.nextInt(1000));
            case "double" -> Double.toString(r.nextGaussian());
            case "boolean" -> Boolean.toString(r.nextBoolean());
            case "bytes" -> java.util.Base64.getEncoder().encodeToString(new byte[] {(byte) r.nextInt(), 1});
            case "timestamp" -> java.time.Instant.ofEpochSecond(r.nextInt()).toString();
            case "duration" -> java.time.Duration.ofMillis(r.nextInt(100_000)).toString();
            default -> clean ? "v" + row : FuzzStrings.valid(r, 1 + r.nextInt(6));
        };
    }

    /** Appends one CSV line, quoting cells that need it. */
    static void line(StringBuilder sb, List<String> cells, char delimiter) {
        for (int i = 0; i < cells.size(); i++) {
            String s = cells.get(i);
            if (i > 0) {
                sb.append(delimiter);
            }
            boolean quote = s.indexOf(delimiter) >= 0 || s.indexOf('"') >= 0 || s.indexOf('\n') >= 0
                    || s.indexOf('\r') >= 0;
            sb.append(quote ? '"' + s.replace("\"", "\"\"") + '"' : s);
        }
        sb.append('\n');
    }

    static byte[] mutate(Random r, byte[] b, String text, char delimiter) {
        return switch (r.nextInt(13)) {
            case 0 -> {
                byte[] x = new byte[r.nextInt(300)];
                r.nextBytes(x);
                yield x;
            }
            case 1 -> concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, b);
            case 2 -> text.getBytes(r.nextBoolean() ? StandardCharsets.UTF_16LE : StandardCharsets.UTF_16);
            case 3 -> insert(r, b, new byte[] {BAD_UTF8[r.nextInt(BAD_UTF8.length)]});
            case 4 -> insert(r, b, ("\n" + "x" + String.valueOf(delimiter).repeat(r.nextInt(5)) + "\n")
                    .getBytes(StandardCharsets.UTF_8));
            case 5 -> insert(r, b, new byte[] {'"'});
            case 6 -> insert(r, b, ("\n\"" + "y".repeat(1 + r.nextInt(200_000)) + "\"\n").getBytes(StandardCharsets.UTF_8));
            case 7 -> insert(r, b, new byte[] {0});
            case 8 -> new String(b, StandardCharsets.ISO_8859_1).replace("\n", "\r").getBytes(StandardCharsets.ISO_8859_1);
            case 9 -> (String.valueOf(delimiter).repeat(1 + r.nextInt(20_000)) + "\n").getBytes(StandardCharsets.UTF_8);
            case 10 -> new byte[r.nextInt(3)];
            case 11 -> insert(r, b, new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF});
            default -> b.length == 0 ? b : java.util.Arrays.copyOf(b, r.nextInt(b.length));
        };
    }

    static byte[] insert(Random r, byte[] b, byte[] piece) {
        int at = r.nextInt(b.length + 1);
        ByteArrayOutputStream out = new ByteArrayOutputStream(b.length + piece.length);
        out.write(b, 0, at);
        out.write(piece, 0, piece.length);
        out.write(b, at, b.length - at);
        return out.toByteArray();
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
