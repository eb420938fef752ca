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
import dev.tablevault.engine.data.BuilderRenames;
import dev.tablevault.engine.data.Catalog;
import dev.tablevault.engine.data.MetaWrites;
import dev.tablevault.engine.data.Names;
import dev.tablevault.engine.lock.LockManager;
import dev.tablevault.engine.process.InstanceDrops;
import dev.tablevault.engine.process.Op;
import dev.tablevault.engine.process.ProcessContext;
import dev.tablevault.engine.store.Backend;
import dev.tablevault.engine.store.Batch;
import dev.tablevault.engine.store.Family;
import dev.tablevault.engine.store.Keys;

import java.util.List;

/** Table operations: create, rename, delete. Each is one step: one batch. */
public final class TableOps {
    private TableOps() {
    }

    public static final class CreateTable extends Op {
        private final CreateTableArgs args;

        public CreateTable(CreateTableArgs args) {
            super("createTable", args);
            Names.table(args.table());
            this.args = args;
        }

        @Override
        protected List<LockReq> locks(ProcessContext ctx) {
            return exclusive(LockManager.table(args.table()));
        }

        @Override
        protected void validate(ProcessContext ctx) {
            if (ctx.catalog().table(args.table()).isPresent()) {
                throw new TvArgumentException(ErrorCode.ALREADY_EXISTS, "table '" + args.table()
                        + "' already exists; choose another name or delete it first");
            }
        }

        @Override
        protected void apply(ProcessContext ctx, Batch b) {
            MetaWrites.put(ctx.vault.store(), b, Keys.table(args.table()), new TableRecord(args.table(), args.description(), args.sideEffects(),
                    args.multipleArtifacts(), ctx.started, null));
        }
    }

    public static final class RenameTable extends Op {
        private final RenameTableArgs args;

        public RenameTable(RenameTableArgs args) {
            super("renameTable", args);
            Names.table(args.table());
            Names.table(args.newName());
            if (args.table().equals(args.newName())) {
                throw new TvArgumentException(ErrorCode.BAD_ARGUMENT, "cannot rename table '" + args.table()
                        + "' to itself");
            }
            this.args = args;
        }

        @Override
        protected List<LockReq> locks(ProcessContext ctx) {
            return List.of(new LockReq(LockManager.table(args.table()), LockMode.EXCLUSIVE),
                    new LockReq(LockManager.table(args.newName()), LockMode.EXCLUSIVE));
        }

        @Override
        protected void validate(ProcessContext ctx) {
            ctx.catalog().requireTable(args.table());
            if (ctx.catalog().table(args.newName()).isPresent()) {
                throw new TvArgumentException(ErrorCode.ALREADY_EXISTS, "cannot rename table '" + args.table()
                        + "' to '" + args.newName() + "': that table already exists");
            }
        }

        @Override
        protected void apply(ProcessContext ctx, Batch b) {
            Catalog cat = ctx.catalog();
            Backend s = ctx.vault.store();
            TableRecord t = cat.requireTable(args.table());
            b.delete(Family.META, Keys.table(args.table()));
            MetaWrites.put(s, b, Keys.table(args.newName()), t.renamed(args.newName()));
            for (InstanceRecord r : cat.instances(args.table())) {
                b.delete(Family.META, Keys.instance(args.table(), r.id()));
                MetaWrites.put(s, b, Keys.instance(args.newName(), r.id()), r.inTable(args.newName()));
            }
            ctx.onDurable(() -> Artifacts.renameStaging(ctx.vault.artifactHome(), args.table(), args.newName()));
            for (String[] k : cat.builderKeys(args.table())) {
                byte[] v = s.get(Family.META, Keys.builder(args.table(), k[2], k[3]));
                b.delete(Family.META, Keys.builder(args.table(), k[2], k[3]));
                BuilderRecord spec = BuilderRenames.renamed(Codec.decode(v, BuilderRecord.class, "builder " + k[3]),
                        args.table(), args.newName());
                MetaWrites.put(s, b, Keys.builder(args.newName(), k[2],
                        BuilderRenames.name(k[3], args.table(), args.newName())), spec);
            }
        }
    }

    public static final class DeleteTable extends Op {
        private final DeleteTableArgs args;
        /** The table's instances, read once under the lock by {@link #run} for {@link #apply}. */
        private List<InstanceRecord> instances;

        public DeleteTable(DeleteTableArgs args) {
            super("deleteTable", args);
            Names.table(args.table());
            this.args = args;
        }

        @Override
        protected List<LockReq> locks(ProcessContext ctx) {
            return exclusive(LockManager.table(args.table()));
        }

        @Override
        protected void validate(ProcessContext ctx) {
            ctx.catalog().requireTable(args.table());
        }

        @Override
        protected void run(ProcessContext ctx) throws InterruptedException {
            instances = ctx.catalog().instances(args.table());
            InstanceDrops.dropping(ctx, instances, () -> super.run(ctx));
        }

        @Override
        protected void apply(ProcessContext ctx, Batch b) {
            Catalog cat = ctx.catalog();
            Backend s = ctx.vault.store();
            b.delete(Family.META, Keys.table(args.table()));
            InstanceDrops.deleteInstances(ctx, b, instances);
            ctx.onDurable(() -> Artifacts.deleteTree(Artifacts.stagingRoot(ctx.vault.artifactHome(), args.table())));
            for (String[] k : cat.builderKeys(args.table())) {
                b.delete(Family.META, Keys.builder(args.table(), k[2], k[3]));
            }
        }
    }
}
