package dev.tablevault.engine.remote;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tablevault.api.ErrorCode;
import dev.tablevault.api.TvStorageException;
import dev.tablevault.api.Vault;
import dev.tablevault.engine.exec.CallerCode;
import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.EOFException;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The owner's side: listens on the vault's socket and serves each connection on its own thread (at most
 * {@link #MAX_CONNECTIONS}), running every call on the owner's vault ({@link Calls}). A connection that breaks
 * the protocol is closed with a logged reason; the others go on. {@link #close()} stops accepting, says goodbye
 * to idle connections, cuts streaming ones, lets each call in flight finish, answer and say goodbye, and joins
 * every thread.
 */
public final class VaultServer implements AutoCloseable {
    /** Connections served at once; more are refused at the handshake. */
    static final int MAX_CONNECTIONS = 512;
    private static final Logger LOG = LoggerFactory.getLogger(VaultServer.class);
    private static final AtomicInteger THREADS = new AtomicInteger();

    /**
     * Runs one call for a caller: the front records the caller's author on the processes it starts, runs the
     * call as a sub-process of {@code parent} when a builder of that process made it, and gives executions the
     * caller's builder code.
     */
    public interface CallerScope {
        Object run(Caller caller, Supplier<Object> call);
    }

    /**
     * Who a call is for: its handle's author (may be null), the process whose builder made it (or null), and
     * the caller's builder code for an execution (or null).
     */
    public record Caller(String author, String parent, CallerCode code) {
    }

    private final Path socket;
    private final ServerSocketChannel server;
    private final Calls calls;
    private final String user;
    private final Set<Connection> connections = new HashSet<>();
    private final Thread acceptor;
    private boolean closed;
    /** Set once {@link #close()} told every connection it is closing (for tests of the order of a close). */
    private volatile boolean told;

    private VaultServer(Path socket, ServerSocketChannel server, Calls calls, String user) {
        this.socket = socket;
        this.server = server;
        this.calls = calls;
        this.user = user;
        this.acceptor = new Thread(this::acceptLoop, "tablevault-accept-" + THREADS.incrementAndGet());
        this.acceptor.setDaemon(true);
    }

    /**
     * Listens at {@code socket} (a stale socket file there is removed: the caller holds the vault's lock, so no
     * one else serves it) for {@code vault}, whose format version is {@code formatVersion}.
     */
    public static VaultServer start(Path socket, Vault vault, int formatVersion, CallerScope scope) {
        return start(socket, vault, formatVersion, scope, null);
    }

    /** As {@link #start(Path, Vault, int, CallerScope)}, accepting only {@code user} (null: the socket's owner). */
    static VaultServer start(Path socket, Vault vault, int formatVersion, CallerScope scope, String user) {
        OwnerSocket.prepareFolder(socket);
        ServerSocketChannel ch = null;
        try {
            Files.deleteIfExists(socket);
            ch = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            ch.bind(UnixDomainSocketAddress.of(socket));
            Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-------"));
            String allowed = user != null ? user : Files.getOwner(socket).getName();
            VaultServer s = new VaultServer(socket, ch, new Calls(vault, formatVersion, scope), allowed);
            s.acceptor.start();
            return s;
        } catch (IOException e) {
            if (ch != null) {
                try {
                    ch.close();
                } catch (IOException c) {
                    e.addSuppressed(c);
                }
            }
            throw new TvStorageException(ErrorCode.IO, "cannot serve the vault at socket " + socket + ": " + e, e);
        }
    }

    /** The socket this server listens at. */
    public Path socket() {
        return socket;
    }

    private void acceptLoop() {
        while (true) {
            SocketChannel ch;
            try {
                ch = server.accept();
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                LOG.warn("accepting a connection at {} failed; still listening: {}", socket, e.toString());
                continue;
            }
            Connection c = new Connection(new Wire(ch));
            boolean refuse;
            synchronized (connections) {
                refuse = closed || connections.size() >= MAX_CONNECTIONS;
                if (!refuse) {
                    connections.add(c);
                }
            }
            if (refuse) {
                c.refuse(closed ? "the owner is closing" : "the owner serves " + MAX_CONNECTIONS
                        + " connections already");
            } else {
                c.thread.start();
            }
        }
    }

    @Override
    public void close() {
        List<Connection> open;
        synchronized (connections) {
            if (closed) {
                return;
            }
            closed = true;
            open = new ArrayList<>(connections);
        }
        try {
            server.close();
        } catch (IOException e) {
            LOG.warn("closing the socket {} failed: {}", socket, e.toString());
        }
        join(acceptor);
        open.forEach(Connection::shutdown);
        told = true;
        open.forEach(c -> join(c.thread));
        try {
            Files.deleteIfExists(socket);
        } catch (IOException e) {
            LOG.warn("cannot remove the socket file {} (the next owner replaces it): {}", socket, e.toString());
        }
    }

    /** True once a {@link #close()} told every connection it is closing. */
    boolean toldConnections() {
        return told;
    }

    private static void join(Thread t) {
        boolean interrupted = false;
        while (true) {
            try {
                t.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true; // close must not leave a thread behind; keep the interrupt for the caller
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** What a connection's thread is doing, for {@link #shutdown}. */
    private enum State { IDLE, CALL, STREAM }

    /** One client connection and its thread. */
    private final class Connection {
        final Wire wire;
        final Thread thread;
        private State state = State.IDLE;
        private boolean closing;
        private long peerPid = -1;

        Connection(Wire wire) {
            this.wire = wire;
            this.thread = new Thread(this::run, "tablevault-serve-" + THREADS.incrementAndGet());
            this.thread.setDaemon(true);
        }

        private void run() {
            try (wire) {
                if (!handshake()) {
                    return;
                }
                while (true) {
                    Wire.Msg m = wire.receive();
                    if (m.kind() != Wire.CALL) {
                        throw new Wire.BadFrame("expected a call, got a frame of kind " + m.kind());
                    }
                    ObjectNode call = Messages.parse(m.body());
                    boolean stream = Calls.streams(call);
                    if (!begin(stream ? State.STREAM : State.CALL)) {
                        wire.send(Wire.GOODBYE, new byte[0]);
                        return;
                    }
                    calls.serve(wire, call, peerPid);
                    if (!end()) {
                        // The caller may have sent its next call already: this says it was not run (else it
                        // would find the connection reset, and could not tell whether it ran).
                        wire.send(Wire.GOODBYE, new byte[0]);
                        return;
                    }
                }
            } catch (EOFException e) {
                // the client closed its connection
            } catch (Wire.BadFrame e) {
                LOG.warn("closing a connection of OS process {} to {}: {}", peerPid, socket, e.getMessage());
            } catch (IOException e) {
                if (!isClosing()) {
                    LOG.info("a connection of OS process {} to {} ended: {}", peerPid, socket, e.toString());
                }
            } catch (RuntimeException | Error e) {
                LOG.error("serving OS process {} at {} failed; its connection is closed", peerPid, socket, e);
            } finally {
                synchronized (connections) {
                    connections.remove(this);
                }
            }
        }

        /** Checks the peer's user and the versions; false (after telling the peer why) to end the connection. */
        private boolean handshake() throws IOException {
            UnixDomainPrincipal peer = wire.channel().getOption(ExtendedSocketOptions.SO_PEERCRED);
            Wire.Msg hello = wire.receive();
            if (hello.kind() != Wire.HELLO) {
                throw new Wire.BadFrame("expected a hello, got a frame of kind " + hello.kind());
            }
            ObjectNode h = Messages.parse(hello.body());
            peerPid = h.path("pid").asLong(-1);
            if (!peer.user().getName().equals(user)) {
                LOG.warn("refused a connection of user {} (OS process {}) to {}: only {} may use it",
                        peer.user().getName(), peerPid, socket, user);
                wire.send(Wire.ERROR, Messages.bytes(RemoteErrors.encode(new TvStorageException(
                        ErrorCode.PERMISSION_DENIED, "the vault's owner serves only its own user " + user + ", not "
                        + peer.user().getName()), false)));
                return false;
            }
            String refusal = calls.checkHello(h);
            if (refusal != null) {
                LOG.warn("refused a connection of OS process {} to {}: {}", peerPid, socket, refusal);
                wire.send(Wire.ERROR, Messages.bytes(RemoteErrors.encode(new TvStorageException(
                        ErrorCode.UNSUPPORTED_FORMAT, refusal), false)));
                return false;
            }
            wire.send(Wire.WELCOME, Messages.bytes(calls.welcome()));
            return true;
        }

        /** Refuses at once, before the handshake. */
        void refuse(String why) {
            try (wire) {
                wire.send(Wire.ERROR, Messages.bytes(RemoteErrors.encode(new TvStorageException(
                        ErrorCode.VAULT_LOCKED, "the OS process owning the vault refused the connection: " + why
                        + "; try again"), false)));
            } catch (IOException e) {
                LOG.info("refusing a connection to {} failed: {}", socket, e.toString());
            }
        }

        private synchronized boolean begin(State s) {
            if (closing) {
                return false;
            }
            state = s;
            return true;
        }

        private synchronized boolean end() {
            state = State.IDLE;
            return !closing;
        }

        private synchronized boolean isClosing() {
            return closing;
        }

        /** Ends the connection at once when idle (with a goodbye) or streaming; a call in flight ends it itself. */
        synchronized void shutdown() {
            closing = true;
            if (state == State.CALL) {
                return;
            }
            try {
                if (state == State.IDLE) {
                    wire.send(Wire.GOODBYE, new byte[0]);
                }
            } catch (IOException e) {
                LOG.debug("goodbye to OS process {} failed: {}", peerPid, e.toString());
            }
            try {
                wire.close();
            } catch (IOException e) {
                LOG.debug("closing a connection of OS process {} failed: {}", peerPid, e.toString());
            }
        }
    }
}
