package dev.tablevault.engine.remote;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tablevault.api.ErrorCode;
import dev.tablevault.api.TableOptions;
import dev.tablevault.api.TableVaultException;
import dev.tablevault.api.TvStorageException;
import dev.tablevault.api.Vault;
import dev.tablevault.api.VaultOptions;
import dev.tablevault.api.VaultStats;
import dev.tablevault.engine.TableVault;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Bad input at the owner's socket: garbage, a frame over the limit, a truncated frame, a call before the
 * handshake, a wrong protocol or format version, another user. Each ends that connection (the versions and the
 * user with a typed error to the client), the owner goes on serving a well-behaved client, and the vault is not
 * changed. Also: a vault path too long for a socket path still gets a socket, in a private folder.
 */
class SocketInputTest {
    @TempDir
    Path tmp;

    private static SocketChannel raw(Path socket) throws IOException {
        return SocketChannel.open(UnixDomainSocketAddress.of(socket));
    }

    /** True when the owner closed the connection: a read sees the end (after any frames it sent first). */
    private static boolean closedByOwner(SocketChannel ch) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(1 << 16);
        while (true) {
            int n;
            try {
                n = ch.read(b);
            } catch (IOException e) {
                return true; // reset
            }
            if (n < 0) {
                return true;
            }
            b.clear();
        }
    }

    private static byte[] frame(int length, byte kind, byte[] body) {
        return ByteBuffer.allocate(5 + body.length).putInt(length).put(kind).put(body).array();
    }

    private static byte[] hello(int protocol, int format) {
        ObjectNode h = Messages.object();
        h.put("magic", Calls.MAGIC).put("protocol", protocol).put("format", format).put("pid", 1);
        byte[] body = Messages.bytes(h);
        return frame(body.length + 1, Wire.HELLO, body);
    }

    @Test
    void garbageOverLimitAndTruncatedFramesCloseOnlyTheirConnection() throws Exception {
        Path dir = tmp.resolve("v");
        try (Vault owner = TableVault.open(dir, VaultOptions.defaults().create(true));
             Vault client = TableVault.open(dir, VaultOptions.defaults())) {
            owner.createTable("t", TableOptions.defaults());
            VaultStats before = owner.stats();
            Path socket = OwnerSocket.of(dir);
            List<byte[]> bad = List.of(
                    "GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII),
                    frame(Wire.MAX_FRAME + 1, Wire.HELLO, new byte[0]),
                    frame(0, Wire.HELLO, new byte[0]),
                    frame(-7, Wire.HELLO, new byte[0]),
                    frame(1000, Wire.HELLO, "{\"magic\":".getBytes(StandardCharsets.UTF_8)),
                    frame(5, Wire.HELLO, "oops".getBytes(StandardCharsets.UTF_8)),
                    frame(3, Wire.CALL, "{}".getBytes(StandardCharsets.UTF_8)));
            for (byte[] b : bad) {
                try (SocketChannel ch = raw(socket)) {
                    ch.write(ByteBuffer.wrap(b));
                    ch.shutdownOutput(); // a truncated frame ends here
                    assertThat(closedByOwner(ch)).isTrue();
                }
                client.createTable("ok" + bad.indexOf(b), TableOptions.defaults()); // the owner still serves
            }
            // after a good handshake: a call of an unknown method, then garbage JSON in a call
            for (String call : List.of("{\"m\":\"dropEverything\",\"a\":[]}", "{\"m\":\"tables\",\"a\":7}", "[1,2]")) {
                try (SocketChannel ch = raw(socket)) {
                    ch.write(ByteBuffer.wrap(hello(Calls.PROTOCOL, TableVault.FORMAT_VERSION)));
                    byte[] body = call.getBytes(StandardCharsets.UTF_8);
                    ch.write(ByteBuffer.wrap(frame(body.length + 1, Wire.CALL, body)));
                    assertThat(closedByOwner(ch)).isTrue();
                }
            }
            assertThat(owner.tables()).containsExactly("ok0", "ok1", "ok2", "ok3", "ok4", "ok5", "ok6", "t");
            assertThat(owner.stats().activeProcesses()).isEqualTo(before.activeProcesses()).isZero();
            assertThat(owner.verify().ok()).isTrue();
        }
    }

    @Test
    void aWrongProtocolOrFormatVersionIsRefusedWithATypedError() throws Exception {
        Path dir = tmp.resolve("v");
        try (Vault owner = TableVault.open(dir, VaultOptions.defaults().create(true))) {
            Path socket = OwnerSocket.of(dir);
            try (SocketChannel ch = raw(socket)) {
                ch.write(ByteBuffer.wrap(hello(Calls.PROTOCOL + 1, TableVault.FORMAT_VERSION)));
                Wire.Msg m = new Wire(ch).receive();
                assertThat(m.kind()).isEqualTo(Wire.ERROR);
                RuntimeException e = RemoteErrors.decode(Messages.parse(m.body()));
                assertThat(e).isInstanceOf(TvStorageException.class).hasMessageContaining("protocol " + Calls.PROTOCOL);
                assertThat(((TableVaultException) e).code()).isEqualTo(ErrorCode.UNSUPPORTED_FORMAT);
                assertThat(closedByOwner(ch)).isTrue();
            }
            Owner newer = new Owner(socket, TableVault.FORMAT_VERSION + 1, () -> null);
            TvStorageException format = catchThrowableOfType(newer::connect, TvStorageException.class);
            assertThat(format.code()).isEqualTo(ErrorCode.UNSUPPORTED_FORMAT);
            assertThat(format.getMessage()).contains("vault format " + TableVault.FORMAT_VERSION);
            assertThat(owner.tables()).isEmpty();
        }
    }

    @Test
    void anotherUserIsRefusedWithAPermissionError() throws Exception {
        Path dir = tmp.resolve("v");
        Files.createDirectories(dir);
        Path socket = dir.resolve("s.sock");
        // the server admits only its own user; one that expects another stands for a connection by another user
        try (VaultServer server = VaultServer.start(socket, null, TableVault.FORMAT_VERSION, (a, c) -> c.get(),
                "someone-else")) {
            TvStorageException e = catchThrowableOfType(() -> new Owner(socket, TableVault.FORMAT_VERSION,
                    () -> null).connect(), TvStorageException.class);
            assertThat(e.code()).isEqualTo(ErrorCode.PERMISSION_DENIED);
            assertThat(e.getMessage()).contains("someone-else");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(socket))).isEqualTo("rw-------");
        }
        // a socket folder another user could enter is refused, not used
        Path shared = Files.createDirectory(tmp.resolve("shared"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        TvStorageException open = catchThrowableOfType(() -> OwnerSocket.checkPrivate(shared), TvStorageException.class);
        assertThat(open.code()).isEqualTo(ErrorCode.PERMISSION_DENIED);
        assertThat(open.getMessage()).contains("rwxr-xr-x");
    }

    @Test
    void aVaultPathTooLongForASocketGetsOneInAPrivateFolder() {
        Path dir = tmp.resolve("a-rather-long-folder-name-".repeat(4)).resolve("vault");
        assertThat(dir.resolve("owner.sock").toString().length()).isGreaterThan(OwnerSocket.MAX_PATH_BYTES);
        try (Vault owner = TableVault.open(dir, VaultOptions.defaults().create(true));
             Vault client = TableVault.open(dir, VaultOptions.defaults())) {
            Path socket = OwnerSocket.of(dir);
            assertThat(socket.getParent()).isEqualTo(OwnerSocket.runtimeDir());
            assertThat(socket).exists();
            client.createTable("far", TableOptions.defaults());
            assertThat(owner.tables()).containsExactly("far");
        }
        assertThat(OwnerSocket.of(dir)).doesNotExist();
    }
}
