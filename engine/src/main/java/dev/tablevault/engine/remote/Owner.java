package dev.tablevault.engine.remote;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tablevault.api.ErrorCode;
import dev.tablevault.api.TableVaultException;
import dev.tablevault.api.TvStorageException;
import dev.tablevault.api.Vault;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * A client's way to the vault's owner: a pool of handshaken connections (one per calling thread at a time),
 * and the hand-over when the owner goes away: this process takes ownership through {@link
 * RemoteVault.TakeOver} when RocksDB's lock is free, or else connects to whichever process took it. Connections
 * carry the generation of the owner they reach, so a dozen threads that see the same owner go away hand over
 * once.
 */
final class Owner {
    /** How long a hand-over waits for a live owner to answer before giving up with VAULT_LOCKED. */
    static final long HANDOVER_MILLIS = 30_000;

    private final Path socket;
    private final int format;
    private final RemoteVault.TakeOver takeOver;
    private final ConcurrentLinkedDeque<Wire> idle = new ConcurrentLinkedDeque<>();
    private int generation;
    private volatile Vault local;
    private volatile long pid = -1;
    private volatile boolean closed;

    Owner(Path socket, int format, RemoteVault.TakeOver takeOver) {
        this.socket = socket;
        this.format = format;
        this.takeOver = takeOver;
    }

    /** The vault this process owns after taking over, or null while another process owns it. */
    Vault local() {
        return local;
    }

    /** The owner's OS process id as its handshake said. */
    long pid() {
        return pid;
    }

    synchronized int generation() {
        return generation;
    }

    /** An idle connection or a new one; a failure means the call was not sent. */
    Wire borrow() throws IOException {
        if (closed) {
            throw new TvStorageException(ErrorCode.VAULT_CLOSED, "the vault handle is closed; open it again");
        }
        int current = generation();
        Wire w;
        while ((w = idle.poll()) != null && w.generation != current) {
            quietClose(w); // reaches an owner that went away: a request on it could be lost after it was sent
        }
        return w != null ? w : connect();
    }

    void release(Wire w) {
        if (w.generation != generation()) {
            quietClose(w);
            return;
        }
        idle.push(w);
        if (closed && idle.remove(w)) {
            quietClose(w);
        }
    }

    static void quietClose(Wire w) {
        try {
            w.close();
        } catch (IOException e) {
            // nothing to do: the connection is dropped either way
        }
    }

    /**
     * The owner of generation {@code seen} went away: unless another thread handled it already, drops the pool
     * and takes ownership or connects to the new owner, waiting up to {@link #HANDOVER_MILLIS} for one.
     */
    void handover(int seen) {
        synchronized (this) {
            if (seen != generation || local != null) {
                return;
            }
            generation++;
            Wire w;
            while ((w = idle.poll()) != null) {
                quietClose(w);
            }
            long deadline = System.currentTimeMillis() + HANDOVER_MILLIS;
            long pause = 1;
            IOException last = null;
            while (!closed) {
                Vault v = takeOver.tryOwn();
                if (v != null) {
                    local = v;
                    return;
                }
                try {
                    idle.push(connect());
                    return;
                } catch (IOException e) {
                    last = e;
                }
                if (System.currentTimeMillis() > deadline) {
                    throw new TvStorageException(ErrorCode.VAULT_LOCKED, "another OS process holds the vault but does"
                            + " not answer at " + socket + " (" + last + "); it may be an older TableVault: close it",
                            last);
                }
                pauseFor(pause);
                pause = Math.min(pause * 2, 50);
            }
        }
    }

    private static void pauseFor(long millis) {
        try {
            Thread.sleep(millis); // waiting for the new owner to start serving, not synchronizing a test
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TvStorageException(ErrorCode.IO, "interrupted while waiting for the vault's new owner");
        }
    }

    /** Connects and shakes hands; an IOException means no owner answered (yet). */
    Wire connect() throws IOException {
        SocketChannel ch;
        try {
            ch = SocketChannel.open(UnixDomainSocketAddress.of(socket));
        } catch (IOException e) {
            String m = String.valueOf(e.getMessage());
            if (m.contains("Permission denied") || (Files.exists(socket) && !Files.isWritable(socket))) {
                throw new TvStorageException(ErrorCode.PERMISSION_DENIED, "the vault's socket " + socket + " belongs"
                        + " to another user (" + m + "); only the user owning the vault may use it", e);
            }
            throw e;
        }
        Wire w = new Wire(ch);
        w.generation = generation();
        try {
            ObjectNode hello = Messages.object();
            hello.put("magic", Calls.MAGIC).put("protocol", Calls.PROTOCOL).put("format", format)
                    .put("pid", ProcessHandle.current().pid());
            w.send(Wire.HELLO, Messages.bytes(hello));
            Wire.Msg m = w.receive();
            if (m.kind() == Wire.WELCOME) {
                pid = Messages.parse(m.body()).path("pid").asLong(-1);
                return w;
            }
            if (m.kind() == Wire.ERROR) {
                RuntimeException e = RemoteErrors.decode(Messages.parse(m.body()));
                if (e instanceof TableVaultException t && t.code() == ErrorCode.VAULT_LOCKED) {
                    throw new IOException(t.getMessage()); // too many connections or closing: try again
                }
                throw e;
            }
            throw new IOException("the owner answered the hello with a frame of kind " + m.kind());
        } catch (IOException | RuntimeException e) {
            quietClose(w);
            throw e;
        }
    }

    void close() {
        closed = true;
        Wire w;
        while ((w = idle.poll()) != null) {
            quietClose(w);
        }
        Vault v = local;
        if (v != null) {
            v.close();
        }
    }
}
