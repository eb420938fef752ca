package dev.tablevault.arrow;

import dev.tablevault.api.Frame;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Reads a whole {@link ArrowReader} into a frame, noting each batch's size. */
final class TestFrames {
    private TestFrames() {
    }

    static Frame read(ArrowReader r, List<Integer> batchSizes) throws IOException {
        VectorSchemaRoot root = r.getVectorSchemaRoot();
        ArrowFrames.Values values = new ArrowFrames.Values(root.getSchema(), java.util.Map.of(), "test");
        List<List<Object>> cols = new ArrayList<>();
        values.columns().forEach(c -> cols.add(new ArrayList<>()));
        while (r.loadNextBatch()) {
            batchSizes.add(root.getRowCount());
            values.append(root, cols);
        }
        return Frame.ofColumns(values.columns(), cols);
    }
}
