package dev.tablevault.engine.ops;

import dev.tablevault.api.ErrorCode;
import dev.tablevault.api.Hint;
import dev.tablevault.api.LockMode;
import dev.tablevault.api.TvArgumentException;
import dev.tablevault.engine.codec.Records.BuilderRecord;
import dev.tablevault.engine.codec.Records.CreateInstanceArgs;
import dev.tablevault.engine.codec.Records.DeleteBuilderArgs;
import dev.tablevault.engine.codec.Records.DeleteInstanceArgs;
import dev.tablevault.engine.codec.Records.InstanceRecord;
import dev.tablevault.engine.codec.Records.PutBuilderArgs;
import dev.tablevault.engine.codec.Records.TableRecord;
import dev.tablevault.engine.data.Artifacts;
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

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Instance and builder-spec operations. Each is one step: one batch. */
public final class InstanceOps {
    private InstanceOps() {
    }

    public static final class CreateInstance extends Op {
        private final CreateInstanceArgs args;
        private InstanceRecord origin;

        public CreateInstance(CreateInstanceArgs args) {
            super("createInstance", args);
            Names.table(args.table());
            Names.version(args.version());
            if (args.originId() != null) {
                Names.instance(args.originId());
            }
            if (args.originTable() != null) {
                Names.table(args.originTable());
                if (args.originId() == null) {
                    throw new TvArgumentException(ErrorCode.BAD_ARGUMENT, "originTable '" + args.originTable()
                            + "' given without originId; name the origin instance too");
                }
            }
            this.args = args;
        }

        private String originTable() {
            return args.originTable() == null ? args.table() : args.originTable();
        }

        @Override
        protected List<LockReq> locks(ProcessContext ctx) {
            List<LockReq> l = new ArrayList<>();
            l.add(new LockReq(LockManager.instance(args.table(), Names.temp(args.version())), LockMode.EXCLUSIVE));
            if (args.originId() != null) {
                l.add(new LockReq(LockManager.instance(originTable(), args.originId()), LockMode.SHARED));
            } else if (args.copy()) {
                l.add(new LockReq(LockManager.table(args.table()), LockMode.SHARED));
            }
            return l;
        }

        @Override
        protected void validate(ProcessContext ctx) {
            Catalog cat = ctx.catalog();
            cat.requireTable(args.table());
            String temp = Names.temp(args.version());
            if (cat.instance(args.table(), temp).isPresent()) {
                throw new TvArgumentException(ErrorCode.ALREADY_EXISTS, "temporary instance " + temp + " of table '"
                        + args.table() + "' already exists; use it, or deleteInstance(\"" + args.table() + "\", \""
                        + temp + "\") first");
            }
            if (args.originId() != null) {
                cat.requireTable(originTable());
                origin = cat.requireInstance(originTable(), args.originId());
                if (origin.temporary()) {
                    throw new TvArgumentException(ErrorCode.BAD_ARGUMENT, "origin " + args.originId()
                            + " is temporary; an origin must be a materialized instance");
                }
            } else if (args.copy()) {
                origin = cat.instances(args.table()).stream().filter(r -> !r.temporary() && r.active())
                        .reduce((x, y) -> y).orElse(null);
            }
        }

        @Override
        protected void apply(ProcessContext ctx, Batch b) {
            String temp = Names.temp(args.version());
            if (args.externalEdit()) {
                // Files a crash or a stop left in an earlier instance's staging folder must not join this one.
                // No instance owns them now, and nobody can stage files before this record exists.
                Artifacts.deleteTree(Artifacts.staging(ctx.vault.artifactHome(), args.table(), temp));
            }
            MetaWrites.put(ctx.vault.store(), b, Keys.instance(args.table(), temp), new InstanceRecord(args.table(), temp,
                    args.version(), true, args.externalEdit(), origin == null ? null : origin.table(),
                    origin == null ? null : origin.id(),
                    args.description(), origin == null ? List.of() : origin.columns(), List.of(), 0, true, true, 0, 0,
                    ctx.pid, 0, List.of(), List.of(), List.of(), List.of()));
            // A builder instance starts from its origin's builders (an executed origin keeps them under its id).
            if (origin != null && !args.externalEdit() && origin.table().equals(args.table())) {
                for (BuilderRecord br : ctx.catalog().builders(args.table(), origin.id())) {
                    MetaWrites.put(ctx.vault.store(), b, Keys.builder(args.table(), args.version(), br.name()), br);
                }
            }
        }
    }

    public static final class DeleteInstance extends Op {
        private final DeleteInstanceArgs args;

        public DeleteInstance(DeleteInstanceArgs args) {
            super("deleteInstance", args);
            Names.table(args.table());
            Names.instance(args.instanceId());
            this.args = args;
        }

        @Override
        protected List<LockReq> locks(ProcessContext ctx) {
            return exclusive(LockManager.instance(args.table(), args.instanceId()));
        }

        @Override
        protected void validate(ProcessContext ctx) {
            ctx.catalog().requireTable(args.table());
            ctx.catalog().requireInstance(args.table(), args.instanceId());
        }

        @Override
        protected void run(ProcessContext ctx) throws InterruptedException {
            InstanceDrops.dropping(ctx, List.of(ctx.catalog().requireInstance(args.table(), args.instanceId())),
                    () -> super.run(ctx));
        }

        @Override
        protected void apply(ProcessContext ctx, Batch b) {
            Catalog cat = ctx.catalog();
            InstanceRecord r = cat.requireInstance(args.table(), args.instanceId());
            InstanceDrops.deleteInstances(ctx, b, List.of(r));
            if (r.temporary()) {
                Path staging = Artifacts.staging(ctx.vault.artifactHome(), args.table(), r.id());
                ctx.onDurable(() -> Artifacts.deleteTree(staging));
            }
            // A temporary instance's builders sit under its version, a materialized one's under its id.
            String owner = r.temporary() ? r.version() : r.id();
            for (BuilderRecord br : cat.builders(args.table(), owner)) {
                b.delete(Family.META, Keys.builder(args.table(), owner, br.name()));
            }
            TableRecord t = cat.requireTable(args.table());
            if (args.instanceId().equals(t.artifactInstance())) {
                MetaWrites.put(ctx.vault.store(), b, Keys.table(args.table()), new TableRecord(t.name(), t.description(),
                        t.sideEffects(), t.multipleArtifacts(), t.created(), null));
            }
        }
    }

    /** The temporary instance of a builder operation, which must exist and not be external-edit. */
    private static void requireBuildable(ProcessContext ctx, String table, String version) {
        Catalog cat = ctx.catalog();
        String temp = Names.temp(version);
        InstanceRecord r = cat.instanceOfExistingTable(table, temp).orElseThrow(() -> new TvArgumentException(ErrorCode.NOT_FOUND,
                "table '" + table + "' has no temporary instance " + temp)
                .withHint(new Hint(Hint.Action.CREATE_INSTANCE, table, version)));
        if (r.externalEdit()) {
            throw new TvArgumentException(ErrorCode.BAD_ARGUMENT, "instance " + temp + " of table '" + table
                    + "' is external-edit: it has no builders; fill it with writeInstance");
        }
    }

    public static final class PutBuilder extends Op {
        private final PutBuilderArgs args;

        public PutBuilder(PutBuilderArgs args) {
            super("putBuilder", args);
            Names.table(args.table());
            Names.version(args.version());
            this.args = args;
        }

        @Override
        protected List<LockReq> locks(ProcessContext ctx) {
            return exclusive(LockManager.instance(args.table(), Names.temp(args.version())));
        }

        @Override
        protected void validate(ProcessContext ctx) {
            requireBuildable(ctx, args.table(), args.version());
        }

        @Override
        protected void apply(ProcessContext ctx, Batch b) {
            MetaWrites.put(ctx.vault.store(), b, Keys.builder(args.table(), args.version(), args.name()),
                    new BuilderRecord(args.name(), args.format(), args.text()));
        }
    }

    public static final class DeleteBuilder extends Op {
        private final DeleteBuilderArgs args;

        public DeleteBuilder(DeleteBuilderArgs args) {
            super("deleteBuilder", args);
            Names.table(args.table());
            Names.version(args.version());
            Names.builder(args.name());
            this.args = args;
        }

        @Override
        protected List<LockReq> locks(ProcessContext ctx) {
            return exclusive(LockManager.instance(args.table(), Names.temp(args.version())));
        }

        @Override
        protected void validate(ProcessContext ctx) {
            requireBuildable(ctx, args.table(), args.version());
            Backend s = ctx.vault.store();
            if (s.get(Family.META, Keys.builder(args.table(), args.version(), args.name())) == null) {
                throw new TvArgumentException(ErrorCode.NOT_FOUND, "builder '" + args.name() + "' does not exist on "
                        + Names.temp(args.version()) + " of table '" + args.table() + "'; list them with builders()");
            }
        }

        @Override
        protected void apply(ProcessContext ctx, Batch b) {
            b.delete(Family.META, Keys.builder(args.table(), args.version(), args.name()));
        }
    }
}
