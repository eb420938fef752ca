package dev.tablevault.engine.builtin;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * {@link Utf8Reader} over seeded random text: valid UTF-8 reads back exactly, whatever the line ends, the
 * characters and the sizes of the reads; a byte order mark is dropped only at the start; a byte that is not
 * UTF-8 is refused with the line it is on, after the text before it.
 */
class Utf8ReaderTest {
    private static final String[] PIECES = {"a", "Z", "7", ",", "\"", " ", "\u00e9", "\u20ac", "\u8868",
        "\uD83D\uDE00", "\n", "\r\n", "\r"};

    /** Random text of about {@code length} characters; line ends are frequent, other pieces more so. */
    private static String text(Random r, int length) {
        StringBuilder sb = new StringBuilder();
        while (sb.length() < length) {
            sb.append(PIECES[r.nextInt(PIECES.length)]);
        }
        return sb.toString();
    }

    /** Lines before {@code at} as a line counter that takes {@code \r\n} as one end sees them, plus one. */
    private static long lineOf(String text, int at) {
        long line = 1;
        for (int i = 0; i < at; i++) {
            char c = text.charAt(i);
            if (c == '\r' || c == '\n' && (i == 0 || text.charAt(i - 1) != '\r')) {
                line++;
            }
        }
        return line;
    }

    /** Reads everything in reads of random sizes; what was read before a failure is in {@code into}. */
    private static void readAll(Reader in, Random r, StringBuilder into) throws IOException {
        char[] buf = new char[1 + r.nextInt(50_000)];
        while (true) {
            int n = in.read(buf, 0, 1 + r.nextInt(buf.length));
            if (n < 0) {
                return;
            }
            assertThat(n).isPositive();
            into.append(buf, 0, n);
        }
    }

    private static Reader reader(byte[] bytes, Random r) {
        // A stream that hands out short reads, as pipes and sockets do.
        InputStream in = new ByteArrayInputStream(bytes) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, 1 + r.nextInt(20_000)));
            }
        };
        return new Utf8Reader(in);
    }

    @ParameterizedTest(name = "[{index}] seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void validTextReadsBackExactly(long seed) throws IOException {
        Random r = new Random(seed);
        String text = (seed % 2 == 0 ? "\uFEFF" : "") + text(r, r.nextInt(100_000));
        String expected = text.startsWith("\uFEFF") ? text.substring(1) : text;
        StringBuilder got = new StringBuilder();
        try (Reader in = reader(text.getBytes(StandardCharsets.UTF_8), r)) {
            readAll(in, r, got);
        }
        assertThat(got.toString()).isEqualTo(expected);
    }

    @Test
    void onlyALeadingByteOrderMarkIsDropped() throws IOException {
        StringBuilder got = new StringBuilder();
        try (Reader in = reader("\uFEFFa\uFEFFb".getBytes(StandardCharsets.UTF_8), new Random(1))) {
            readAll(in, new Random(1), got);
        }
        assertThat(got.toString()).isEqualTo("a\uFEFFb");
    }

    /** A Latin-1 byte, a stray continuation byte, or a sequence cut by the end of the file, at a random place. */
    @ParameterizedTest(name = "[{index}] seed {0}")
    @ValueSource(longs = {11, 12, 13, 14, 15, 16, 17, 18})
    void aByteThatIsNotUtf8IsRefusedWithItsLine(long seed) throws IOException {
        Random r = new Random(seed);
        String before = text(r, r.nextInt(60_000));
        byte[][] bad = {{(byte) 0xE9}, {(byte) 0x80}, {(byte) 0xE2, (byte) 0x82}};
        int kind = r.nextInt(bad.length);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.write(before.getBytes(StandardCharsets.UTF_8));
        bytes.write(bad[kind]);
        if (kind < 2) {
            bytes.write(text(r, r.nextInt(1_000)).getBytes(StandardCharsets.UTF_8));
        }
        StringBuilder got = new StringBuilder();
        Utf8Reader.NotUtf8Exception e;
        try (Reader in = reader(bytes.toByteArray(), r)) {
            e = catchThrowableOfType(() -> readAll(in, r, got), Utf8Reader.NotUtf8Exception.class);
        }
        assertThat(e).isNotNull();
        assertThat(got.toString()).isEqualTo(before);
        assertThat(e.line()).isEqualTo(lineOf(before, before.length()));
        assertThat(e.getMessage()).isEqualTo("line " + e.line() + " is not UTF-8 text ("
                + (kind == 2 ? "bytes 0xE2 0x82" : String.format("byte 0x%02X", bad[kind][0])) + ")");
    }
}
