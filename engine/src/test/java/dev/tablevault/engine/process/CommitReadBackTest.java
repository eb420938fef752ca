package dev.tablevault.engine.process;

import dev.tablevault.engine.store.Batch;
import dev.tablevault.engine.store.Family;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The read-back's decision, apart from any backend (the engine-level cases: SharedVaultCommitUnknownTest). */
class CommitReadBackTest {
    private static byte[] b(int... v) {
        byte[] out = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (byte) v[i];
        }
        return out;
    }

    @Test
    void expectedIsWhatTheBatchLeavesInProcOnly() {
        Batch batch = new Batch();
        batch.put(Family.PROC, b(1), b(10));
        batch.put(Family.PROC, b(1), b(11)); // a later change wins
        batch.put(Family.PROC, b(2, 5), b(20));
        batch.put(Family.PROC, b(3), b(30));
        batch.deleteRange(Family.PROC, b(2), b(3)); // covers [2, 5] only
        batch.delete(Family.PROC, b(4));
        batch.put(Family.DATA, b(9), b(90));
        batch.put(Family.LOCKS, b(8), b(80));
        Map<ByteBuffer, byte[]> expected = CommitReadBack.expected(batch);
        assertThat(expected.keySet()).containsExactly(ByteBuffer.wrap(b(1)), ByteBuffer.wrap(b(2, 5)),
                ByteBuffer.wrap(b(3)), ByteBuffer.wrap(b(4)));
        assertThat(expected.values()).usingElementComparator(Arrays::compare)
                .containsExactly(b(11), null, b(30), null);
    }

    @Test
    void writtenOnlyWhenEveryValueIsThereWithTheSameBytesAndEveryDeleteAbsent() {
        List<byte[]> expected = Arrays.asList(b(1), null, b(3));
        assertThat(CommitReadBack.written(expected, Arrays.asList(b(1), null, b(3)))).isTrue();
        assertThat(CommitReadBack.written(expected, Arrays.asList(null, null, null))).as("nothing landed").isFalse();
        assertThat(CommitReadBack.written(expected, Arrays.asList(b(1), null, b(4)))).as("other bytes").isFalse();
        assertThat(CommitReadBack.written(expected, Arrays.asList(b(1), b(2), b(3)))).as("not deleted").isFalse();
        assertThat(CommitReadBack.written(expected, Arrays.asList(b(1), null, null))).as("a key missing").isFalse();
    }
}
