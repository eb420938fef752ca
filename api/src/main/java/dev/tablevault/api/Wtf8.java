package dev.tablevault.api;

import java.nio.charset.StandardCharsets;

/**
 * Strings as WTF-8: UTF-8, except that a lone surrogate (which Java strings may hold and UTF-8 cannot) is encoded
 * as its own 3-byte sequence, so every string round-trips exactly and well-formed text is plain UTF-8. The
 * encoding of a string is unique, so two strings are equal exactly when their bytes are. Stateless.
 */
final class Wtf8 {
    private Wtf8() {
    }

    /** The bytes {@code s.substring(from, to)} takes. */
    static int length(CharSequence s, int from, int to) {
        int n = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n++;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < to && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }

    /** Writes {@code s[from, to)} at {@code out[at]}; returns the position after it. */
    static int encode(CharSequence s, int from, int to, byte[] out, int at) {
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                out[at++] = (byte) c;
            } else if (c < 0x800) {
                out[at++] = (byte) (0xC0 | c >> 6);
                out[at++] = (byte) (0x80 | c & 0x3F);
            } else if (Character.isHighSurrogate(c) && i + 1 < to && Character.isLowSurrogate(s.charAt(i + 1))) {
                int cp = Character.toCodePoint(c, s.charAt(++i));
                out[at++] = (byte) (0xF0 | cp >> 18);
                out[at++] = (byte) (0x80 | cp >> 12 & 0x3F);
                out[at++] = (byte) (0x80 | cp >> 6 & 0x3F);
                out[at++] = (byte) (0x80 | cp & 0x3F);
            } else {
                out[at++] = (byte) (0xE0 | c >> 12);
                out[at++] = (byte) (0x80 | c >> 6 & 0x3F);
                out[at++] = (byte) (0x80 | c & 0x3F);
            }
        }
        return at;
    }

    /** The string of the WTF-8 bytes {@code b[from, to)} (which this class wrote). */
    static String decode(byte[] b, int from, int to) {
        int i = from;
        while (i < to && b[i] >= 0) {
            i++;
        }
        if (i == to) {
            return new String(b, from, to - from, StandardCharsets.ISO_8859_1);
        }
        char[] out = new char[to - from];
        int n = 0;
        for (int k = from; k < i; k++) {
            out[n++] = (char) b[k];
        }
        while (i < to) {
            int x = b[i] & 0xFF;
            if (x < 0x80) {
                out[n++] = (char) x;
                i++;
            } else if (x < 0xE0) {
                out[n++] = (char) ((x & 0x1F) << 6 | b[i + 1] & 0x3F);
                i += 2;
            } else if (x < 0xF0) {
                out[n++] = (char) ((x & 0x0F) << 12 | (b[i + 1] & 0x3F) << 6 | b[i + 2] & 0x3F);
                i += 3;
            } else {
                int cp = (x & 0x07) << 18 | (b[i + 1] & 0x3F) << 12 | (b[i + 2] & 0x3F) << 6 | b[i + 3] & 0x3F;
                out[n++] = Character.highSurrogate(cp);
                out[n++] = Character.lowSurrogate(cp);
                i += 4;
            }
        }
        return new String(out, 0, n);
    }

    /** The number of UTF-16 chars the WTF-8 bytes {@code b[from, to)} hold. */
    static int chars(byte[] b, int from, int to) {
        int n = 0;
        for (int i = from; i < to; n++) {
            int x = b[i] & 0xFF;
            if (x < 0x80) {
                i++;
            } else if (x < 0xE0) {
                i += 2;
            } else if (x < 0xF0) {
                i += 3;
            } else {
                i += 4;
                n++;
            }
        }
        return n;
    }
}
