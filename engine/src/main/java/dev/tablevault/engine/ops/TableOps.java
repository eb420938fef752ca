package dev.tablevault.engine.ops;

import dev.tablevault.api.ErrorCode;
import dev.tablevault.api.LockMode;
import dev.tablevault.api.TvArgumentException;
import dev.tablevault.engine.codec.Codec;
import dev.tablevault.engine.codec.Records.BuilderRecord;
import dev.tablevault.engine.codec.Records.CreateTableArgs;
import dev.tablevault.engine.codec.Records.DeleteTableArgs;
import dev.tablevault.engine.codec.Records.InstanceRecord;
import dev.tablevault.engine.codec.Records.RenameTableArgs;
import dev.tablevault.engine.codec.Records.TableRecord;
import dev.tablevault.engine.data.Artifacts;
import dev.tablevault.engine.data.Catalog;
import dev.tablevault.engine.data.Names;
import dev.tablevault.engine.lock.LockManager;
import dev.tablevault.engine.process.Op;
import dev.tablevault.engine.process.ProcessContext;
import dev.tablevault.engine.store.Keys;
import dev.tablevault.engine.store.Store;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;

import java.util.List;

/** Table operations: create, rename, delete. Each is one step: one batch. */
public final class TableOps {
    private TableOps() {
    }

    public static final class CreateTable extends Op {
        private final CreateTableArgs a;

        public CreateTable(CreateTableArgs a) {
            super("createTable", a);
            Names.table(a.table());
            this.a = a;
        }

        @Override
        protected List<LockReq> locks(ProcessContext ctx) {
            return exclusive(LockManager.table(a.table()));
        }

        @Override
        protected void validate(ProcessContext ctx) {
            if (ctx.catalog().table(a.table()).isPresent()) {
                throw new TvArgumentException(ErrorCode.ALREADY_EXISTS, "table '" + a.table()
                        + "' already exists; choose another name or delete it first");
            }
        }

        @Override
        protected void apply(ProcessContext ctx, WriteBatch b) {
            put(ctx, b, Keys.table(a.table()), new TableRecord(a.table(), a.description(), a.sideEffects(),
                    a.multipleArtifacts(), ctx.started, null));
        }
    }

    public static final class RenameTable extends Op {
        private final RenameTableArgs a;

        public RenameTable(RenameTableArgs a) {
            super("renameTable", a);
            Names.table(a.table());
            Names.table(a.newName());
            if (a.table().equals(a.newName())) {
                throw new TvArgumentException(ErrorCode.BAD_ARGUMENT, "cannot rename table '" + a.table()
                        + "' to itself");
            }
            this.a = a;
        }

        @Override
        protected List<LockReq> locks(ProcessContext ctx) {
            return List.of(new LockReq(LockManager.table(a.table()), LockMode.EXCLUSIVE),
                    new LockReq(LockManager.table(a.newName()), LockMode.EXCLUSIVE));
        }

        @Override
        protected void validate(ProcessContext ctx) {
            ctx.catalog().requireTable(a.table());
            if (ctx.catalog().table(a.newName()).isPresent()) {
                throw new TvArgumentException(ErrorCode.ALREADY_EXISTS, "cannot rename table '" + a.table()
                        + "' to '" + a.newName() + "': that table already exists");
            }
        }

        @Override
        protected void apply(ProcessContext ctx, WriteBatch b) {
            Catalog cat = ctx.catalog();
            Store s = ctx.vault.store();
            TableRecord t = cat.requireTable(a.table());
            try {
                b.delete(s.meta, Keys.table(a.table()));
                put(ctx, b, Keys.table(a.newName()), t.renamed(a.newName()));
                for (InstanceRecord r : cat.instances(a.table())) {
                    b.delete(s.meta, Keys.instance(a.table(), r.id()));
                    put(ctx, b, Keys.instance(a.newName(), r.id()), r.inTable(a.newName()));
                }
                ctx.onDurable(() -> Artifacts.renameStaging(ctx.vault.dir(), a.table(), a.newName()));
                for (String[] k : cat.builderKeys(a.table())) {
                    byte[] v = s.get(s.meta, Keys.builder(a.table(), k[2], k[3]));
                    b.delete(s.meta, Keys.builder(a.table(), k[2], k[3]));
                    put(ctx, b, Keys.builder(a.newName(), k[2], k[3]),
                            Codec.decode(v, BuilderRecord.class, "builder " + k[3]));
                }
            } catch (RocksDBException e) {
                throw Store.io(e);
            }
        }
    }

    public static final class DeleteTable extends Op {
        private final DeleteTableArgs a;
        /** The table's instances, read once under the lock by {@link #run} for {@link #apply}. */
        private List<InstanceRecord> instances;

        public DeleteTable(DeleteTableArgs a) {
            super("deleteTable", a);
            Names.table(a.table());
            this.a = a;
        }

        @Override
        protected List<LockReq> locks(ProcessContext ctx) {
            return exclusive(LockManager.table(a.table()));
        }

        @Override
        protected void validate(ProcessContext ctx) {
            ctx.catalog().requireTable(a.table());
        }

        @Override
        protected void run(ProcessContext ctx) throws InterruptedException {
            instances = ctx.catalog().instances(a.table());
            InstanceOps.dropping(ctx, instances, () -> super.run(ctx));
        }

        @Override
        protected void apply(ProcessContext ctx, WriteBatch b) {
            Catalog cat = ctx.catalog();
            Store s = ctx.vault.store();
            try {
                b.delete(s.meta, Keys.table(a.table()));
                InstanceOps.deleteInstances(ctx, b, instances);
                ctx.onDurable(() -> Artifacts.deleteTree(Artifacts.stagingRoot(ctx.vault.dir(), a.table())));
                for (String[] k : cat.builderKeys(a.table())) {
                    b.delete(s.meta, Keys.builder(a.table(), k[2], k[3]));
                }
            } catch (RocksDBException e) {
                throw Store.io(e);
            }
        }
    }

    public static void put(ProcessContext ctx, WriteBatch b, byte[] key, Object record) {
        try {
            b.put(ctx.vault.store().meta, key, Codec.encode(record));
        } catch (RocksDBException e) {
            throw Store.io(e);
        }
    }
}
