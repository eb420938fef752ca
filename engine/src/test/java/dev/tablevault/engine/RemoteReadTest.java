package dev.tablevault.engine;

import dev.tablevault.api.BuilderSpec;
import dev.tablevault.api.ExecuteOptions;
import dev.tablevault.api.Frame;
import dev.tablevault.api.InstanceOptions;
import dev.tablevault.api.OpOptions;
import dev.tablevault.api.ProcessState;
import dev.tablevault.api.ReadOptions;
import dev.tablevault.api.RowBuilder;
import dev.tablevault.api.RowCursor;
import dev.tablevault.api.TableOptions;
import dev.tablevault.api.Vault;
import dev.tablevault.api.VaultOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Reads through the owner's socket stream the store's chunks as they are: a paused execution's temporary instance,
 * whose text column has chunks short of their rows and chunks never written, reads through a client exactly as in
 * the owner (the same values, nulls where nothing was committed, the same partial-read mark), over many rows
 * frames.
 */
class RemoteReadTest {
    private static final int ROWS = 3000;

    @TempDir
    Path tmp;

    @Test
    void aPartialReadStreamsAsTheOwnerReadsItWithItsMark() {
        Path dir = tmp.resolve("v");
        RowBuilder text = (ctx, row) -> {
            if (row == 2100) {
                throw new IllegalStateException("down at " + row);
            }
            return java.util.Collections.singletonList(row % 5 == 0 ? null : "x".repeat(300) + row); // ~0.9 MB: frames
        };
        try (Vault owner = TableVault.open(dir, VaultOptions.defaults().create(true).builder("text", text));
             Vault client = TableVault.open(dir, VaultOptions.defaults())) {
            owner.createTable("t", TableOptions.defaults());
            owner.createInstance("t", InstanceOptions.defaults());
            owner.putBuilder("t", "base", BuilderSpec.fromYaml("name: t_index\ntype: index\nbuilder: range\n"
                    + "changedColumns: [id]\ntypes: {id: long}\narguments: {count: " + ROWS + "}\n"),
                    OpOptions.defaults());
            owner.putBuilder("t", "base", BuilderSpec.fromYaml("name: text\ntype: column\nbuilder: text\n"
                    + "changedColumns: [text]\n"), OpOptions.defaults());
            catchThrowableOfType(() -> owner.executeInstance("t", ExecuteOptions.defaults().processId("p")
                    .checkpointRows(700)), IllegalStateException.class);
            assertThat(owner.process("p").state()).isEqualTo(ProcessState.PAUSED);

            ReadOptions temp = ReadOptions.id("TEMP_base");
            Frame here = owner.dataframe("t", temp);
            assertThat(here.rowCount()).isEqualTo(ROWS);
            assertThat(here.column("text").get(1)).isNotNull();
            assertThat(here.column("text").get(ROWS - 1)).as("past the last checkpoint").isNull();
            assertThat(client.dataframe("t", temp)).isEqualTo(here);
            try (RowCursor mine = owner.rows("t", temp); RowCursor theirs = client.rows("t", temp)) {
                assertThat(theirs.progress()).isNotNull().isEqualTo(mine.progress());
                assertThat(theirs.columns()).isEqualTo(mine.columns());
                assertThat(rows(theirs)).isEqualTo(rows(mine));
            }
        }
    }

    private static List<List<Object>> rows(RowCursor c) {
        List<List<Object>> out = new ArrayList<>();
        while (c.hasNext()) {
            out.add(c.next());
        }
        return out;
    }
}
