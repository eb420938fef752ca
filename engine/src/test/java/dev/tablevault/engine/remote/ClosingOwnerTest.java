package dev.tablevault.engine.remote;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tablevault.api.Vault;
import dev.tablevault.api.VaultOptions;
import dev.tablevault.engine.TableVault;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An owner that closes while a call is in flight finishes it, answers it, and then says goodbye: a caller that
 * sent its next call before it could know the owner is closing learns that call was not run, and makes it again
 * elsewhere, instead of finding the connection reset and failing with {@code OWNER_CHANGED}.
 */
class ClosingOwnerTest {
    @TempDir
    Path tmp;

    private static byte[] tables() {
        ObjectNode c = Messages.object();
        c.put("m", "tables");
        c.putArray("a");
        return Messages.bytes(c);
    }

    @Test
    void aCallSentWhileTheOwnerClosesIsAnsweredWithGoodbyeAfterTheCallInFlight() throws Exception {
        CountDownLatch inCall = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean first = new AtomicBoolean(true);
        try (Vault vault = TableVault.open(tmp.resolve("v"), VaultOptions.defaults().create(true))) {
            Path socket = tmp.resolve("v").resolve("test.sock");
            VaultServer server = VaultServer.start(socket, vault, TableVault.FORMAT_VERSION, (caller, call) -> {
                if (first.getAndSet(false)) {
                    inCall.countDown();
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException(e);
                    }
                }
                return call.get();
            });
            try (Wire w = new Owner(socket, TableVault.FORMAT_VERSION, () -> null).connect()) {
                w.send(Wire.CALL, tables());
                assertThat(inCall.await(1, TimeUnit.MINUTES)).isTrue();
                Thread closer = new Thread(server::close, "closer");
                closer.start();
                long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
                while (!server.toldConnections()) { // a poll, not a timed assertion: the bound only stops a hang
                    assertThat(System.nanoTime() - deadline).as("close never told the connection").isNegative();
                    LockSupport.parkNanos(1_000_000);
                }
                w.send(Wire.CALL, tables()); // the caller's next call, sent before it could know
                release.countDown();
                assertThat(w.receive().kind()).as("the answer to the call in flight").isEqualTo(Wire.RESULT);
                assertThat(w.receive().kind()).as("what the next call gets").isEqualTo(Wire.GOODBYE);
                closer.join();
            }
        }
    }
}
