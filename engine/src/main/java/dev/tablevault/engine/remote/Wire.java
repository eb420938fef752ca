package dev.tablevault.engine.remote;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * One connection's frames: a 4-byte big-endian length (of what follows), a kind byte, then the body. A length
 * below 1 or above {@link #MAX_FRAME} is a {@link BadFrame}, as is a connection that ends inside a frame; an end
 * between frames is an {@link EOFException}. Reads and writes go straight to the channel (not through
 * {@code Channels} streams, which would make a write wait for a blocked read), so the owner's close can say
 * goodbye on a connection whose thread waits for the next request. Writes are serialized by the wire's lock.
 */
final class Wire implements Closeable {
    /** The largest frame, kind byte included: 64 MiB. */
    static final int MAX_FRAME = 64 << 20;
    /**
     * What a rows frame aims at: large enough that a frame's fixed costs vanish, small enough that the owner reads
     * the next frame while the client decodes this one. A frame holds whole blocks, so it may be somewhat bigger.
     */
    static final int TARGET_FRAME = 256 << 10;

    static final byte HELLO = 1;
    static final byte WELCOME = 2;
    static final byte CALL = 3;
    static final byte RESULT = 4;
    static final byte ERROR = 5;
    static final byte HEADER = 6;
    static final byte ROWS = 7;
    static final byte END = 8;
    static final byte PROGRESS = 9;
    static final byte ACK = 10;
    /** The owner is closing and did not run the call it answers (or had no call to answer). */
    static final byte GOODBYE = 11;
    /** The owner asks the caller to run its builder code (rows, a whole frame or a generator). */
    static final byte BUILD = 12;
    /** The owner's answer to the caller's rows of a build: send no more, end the build. */
    static final byte STOP = 13;

    /** The most bytes one read or write of the channel takes. */
    private static final int SLICE = 256 << 10;

    private final SocketChannel channel;
    /** The generation of the owner this connection reaches ({@link Owner}); a later one never reuses it. */
    int generation;
    private final ByteBuffer in = ByteBuffer.allocate(64 << 10).flip();
    private final ByteBuffer header = ByteBuffer.allocate(5);

    Wire(SocketChannel channel) {
        this.channel = channel;
    }

    /** One received frame. */
    record Msg(byte kind, byte[] body) {
    }

    /** A frame that breaks the framing rules; the connection cannot go on. */
    static final class BadFrame extends IOException {
        private static final long serialVersionUID = 1L;

        BadFrame(String message) {
            super(message);
        }
    }

    SocketChannel channel() {
        return channel;
    }

    void send(byte kind, byte[] body) throws IOException {
        send(kind, body, body.length);
    }

    /** Sends {@code body[0, length)} as a frame of {@code kind}. */
    void send(byte kind, byte[] body, int length) throws IOException {
        synchronized (this) {
            header.clear();
            header.putInt(length + 1).put(kind).flip();
            ByteBuffer[] parts = {header, ByteBuffer.wrap(body, 0, Math.min(length, SLICE))};
            while (parts[1].hasRemaining() || parts[0].hasRemaining()) {
                channel.write(parts);
            }
            ByteBuffer rest = ByteBuffer.wrap(body, 0, length).position(parts[1].limit());
            while (rest.hasRemaining()) {
                slice(rest, length);
                channel.write(rest);
            }
        }
    }

    Msg receive() throws IOException {
        if (!fill(4, true)) {
            throw new EOFException("connection closed");
        }
        int n = in.getInt();
        if (n < 1 || n > MAX_FRAME) {
            throw new BadFrame("frame length " + n + " is outside 1.." + MAX_FRAME);
        }
        fill(1, false);
        byte kind = in.get();
        byte[] body = new byte[n - 1];
        int off = Math.min(in.remaining(), body.length);
        in.get(body, 0, off);
        ByteBuffer rest = ByteBuffer.wrap(body, off, body.length - off);
        while (rest.hasRemaining()) { // straight into the body: a large frame is not copied through the buffer
            slice(rest, body.length);
            if (channel.read(rest) < 0) {
                throw new BadFrame("connection ended inside a frame");
            }
        }
        return new Msg(kind, body);
    }

    /**
     * Limits {@code b} to at most {@link #SLICE} bytes past its position, never past {@code end}: the JDK copies a
     * heap buffer through a temporary direct one of its size, which it keeps per thread.
     */
    private static void slice(ByteBuffer b, int end) {
        b.limit(Math.min(end, b.position() + SLICE));
    }

    /** Makes {@code n} bytes available; false on a clean end before any when {@code atStart}. */
    private boolean fill(int n, boolean atStart) throws IOException {
        int had = in.remaining();
        if (had >= n) {
            return true;
        }
        in.compact();
        try {
            while (in.position() < n) {
                if (channel.read(in) < 0) {
                    if (atStart && in.position() == 0) {
                        return false;
                    }
                    throw new BadFrame("connection ended inside a frame");
                }
            }
        } finally {
            in.flip();
        }
        return true;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
