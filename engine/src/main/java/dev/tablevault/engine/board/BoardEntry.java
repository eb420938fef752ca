package dev.tablevault.engine.board;

import dev.tablevault.engine.runner.RunnerId;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * One process on the board.
 *
 * @param id process id
 * @param operation operation name, e.g. {@code executeInstance}
 * @param table the table it works on, or "" when none
 * @param version the instance version it builds, or ""
 * @param state its state as the runner last knew it ({@code ProcessState} name)
 * @param author who started it
 * @param error why it paused, or ""
 * @param step the current step (a builder's name), or ""
 * @param rowsDone rows done in the current step
 * @param rowsTotal rows the current step has, or -1 while unknown
 * @param rate rows per second over the last heartbeats
 * @param started when the process started (epoch ms)
 * @param heartbeat when the runner last published this entry (epoch ms)
 * @param runner the OS process that runs (or last ran) it
 * @param running true while {@code runner} runs it; false for an active process that does not run (paused, or
 *     left by a crash) as the store showed it when the writer published it
 */
public record BoardEntry(String id, String operation, String table, String version, String state, String author,
                         String error, String step, long rowsDone, long rowsTotal, double rate, long started,
                         long heartbeat, RunnerId runner, boolean running) {
    private static final byte FORMAT = 1;
    /** Errors are cut to this many characters: the board shows, the store keeps the whole text. */
    static final int MAX_ERROR = 200;

    byte[] encode() {
        byte[][] strings = {utf8(id), utf8(operation), utf8(table), utf8(version), utf8(state), utf8(author),
            utf8(error.length() > MAX_ERROR ? error.substring(0, MAX_ERROR) : error), utf8(step)};
        int size = 1 + 8 * 7 + 1;
        for (byte[] s : strings) {
            size += 4 + s.length;
        }
        ByteBuffer b = ByteBuffer.allocate(size).put(FORMAT);
        for (byte[] s : strings) {
            b.putInt(s.length).put(s);
        }
        b.putLong(rowsDone).putLong(rowsTotal).putDouble(rate).putLong(started).putLong(heartbeat)
                .putLong(runner.pid()).putLong(runner.startMillis()).put((byte) (running ? 1 : 0));
        return b.array();
    }

    /** The entry {@code bytes} hold, or null when they are not one (a damaged or newer file). */
    static BoardEntry decode(byte[] bytes) {
        try {
            ByteBuffer b = ByteBuffer.wrap(bytes);
            if (b.get() != FORMAT) {
                return null;
            }
            String[] s = new String[8];
            for (int i = 0; i < s.length; i++) {
                byte[] a = new byte[b.getInt()];
                b.get(a);
                s[i] = new String(a, StandardCharsets.UTF_8);
            }
            return new BoardEntry(s[0], s[1], s[2], s[3], s[4], s[5], s[6], s[7], b.getLong(), b.getLong(),
                    b.getDouble(), b.getLong(), b.getLong(), new RunnerId(b.getLong(), b.getLong()), b.get() == 1);
        } catch (BufferUnderflowException | IllegalArgumentException | NegativeArraySizeException e) {
            return null;
        }
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
