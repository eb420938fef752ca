package dev.tablevault.engine.builtin;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * Strict UTF-8 text from a byte stream, for text files users hand in (CSV). A leading byte order mark, which
 * spreadsheet programs write, is dropped. Bytes that are not UTF-8 (a Latin-1 {@code é}, say) are refused with
 * {@link NotUtf8Exception} naming the line they are on, once the text before them has been read; a lenient
 * decoder would turn them into U+FFFD silently. Lines end at {@code \n}, {@code \r\n} or {@code \r}. Closing
 * it closes the stream. Not thread safe.
 */
public final class Utf8Reader extends Reader {
    /** Bytes that are not UTF-8 text, at a line (1-based); the decoder's own report is the cause. */
    public static final class NotUtf8Exception extends IOException {
        private static final long serialVersionUID = 1L;
        private final long line;

        NotUtf8Exception(long line, String bytes, CharacterCodingException cause) {
            super("line " + line + " is not UTF-8 text (" + (bytes.contains(" ") ? "bytes " : "byte ") + bytes + ")",
                    cause);
            this.line = line;
        }

        public long line() {
            return line;
        }
    }

    private final InputStream in;
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
    private final ByteBuffer bytes = ByteBuffer.allocate(1 << 14).flip();
    private boolean started;
    private boolean eof;
    private boolean flushed;
    /** The line the next character is on. */
    private long line = 1;
    private boolean afterCr;
    /** The decoder's error, thrown by the read after the one that returned the text before it. */
    private CoderResult error;
    private String badBytes;

    public Utf8Reader(InputStream in) {
        this.in = in;
    }

    @Override
    public int read(char[] buf, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (error != null) {
            throw refusal();
        }
        if (!started) {
            skipByteOrderMark();
        }
        CharBuffer out = CharBuffer.wrap(buf, off, len);
        while (out.position() == off && !flushed) {
            CoderResult r = decoder.decode(bytes, out, eof);
            if (r.isError()) {
                error = r;
                HexFormat hex = HexFormat.ofDelimiter(" ").withPrefix("0x").withUpperCase();
                badBytes = hex.formatHex(bytes.array(), bytes.position(), bytes.position() + r.length());
                break;
            }
            if (r.isUnderflow()) {
                if (eof) {
                    decoder.flush(out);
                    flushed = true;
                } else {
                    fill();
                }
            }
        }
        int n = out.position() - off;
        if (n == 0 && error != null) {
            throw refusal();
        }
        countLines(buf, off, n);
        return n == 0 ? -1 : n;
    }

    private NotUtf8Exception refusal() {
        return new NotUtf8Exception(line, badBytes, new MalformedInputException(error.length()));
    }

    /** Drops EF BB BF at the start of the stream. */
    private void skipByteOrderMark() throws IOException {
        started = true;
        while (bytes.remaining() < 3 && !eof) {
            fill();
        }
        if (bytes.remaining() >= 3 && bytes.get(bytes.position()) == (byte) 0xEF
                && bytes.get(bytes.position() + 1) == (byte) 0xBB && bytes.get(bytes.position() + 2) == (byte) 0xBF) {
            bytes.position(bytes.position() + 3);
        }
    }

    /** Reads more bytes behind those not yet decoded; sets {@link #eof} at the end. */
    private void fill() throws IOException {
        bytes.compact();
        try {
            int n = in.read(bytes.array(), bytes.position(), bytes.remaining());
            if (n < 0) {
                eof = true;
            } else {
                bytes.position(bytes.position() + n);
            }
        } finally {
            bytes.flip();
        }
    }

    private void countLines(char[] buf, int off, int n) {
        for (int i = off; i < off + n; i++) {
            char c = buf[i];
            if (c == '\r' || c == '\n' && !afterCr) {
                line++;
            }
            afterCr = c == '\r';
        }
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
