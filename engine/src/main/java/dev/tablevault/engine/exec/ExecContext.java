package dev.tablevault.engine.exec;

import dev.tablevault.api.BuildContext;
import dev.tablevault.api.Column;
import dev.tablevault.api.ErrorCode;
import dev.tablevault.api.TvBuilderException;
import dev.tablevault.api.Vault;
import dev.tablevault.engine.process.ProcessContext;
import dev.tablevault.engine.ref.Args;
import dev.tablevault.engine.ref.RefTable;
import dev.tablevault.engine.ref.Resolver;
import dev.tablevault.engine.store.FileErrors;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The {@link BuildContext} of one builder step. Reads of the instance being built ({@code self}: the committed
 * columns of the steps before it) and references resolve through a {@link Resolver} shared by the step's
 * threads; arguments without a per-row reference are resolved once per step, the others once per row context,
 * through templates bound to the resolver once per step ({@link Args#prepare}).
 * Thread safe.
 */
final class ExecContext implements BuildContext {
    private final ProcessContext process;
    private final String table;
    private final String version;
    private final Spec spec;
    private final long rows;
    private final RefTable self;
    private final Resolver resolver;
    private final Path artifacts;
    /** The row whose arguments this context resolves, or -1 for the step's own (row-independent) context. */
    private final long row;
    /** The arguments without a row, shared by the step's contexts and resolved once. */
    private final AtomicReference<Map<String, Object>> stepArguments;
    /** The arguments bound to the resolver on first use, shared by the step's row contexts. */
    private final AtomicReference<Args.Prepared> prepared;
    private volatile Map<String, Object> rowArguments;

    ExecContext(ProcessContext process, String table, String version, Spec spec, long rows, RefTable self,
                Map<String, RefTable> deps, Path artifacts) {
        this.process = process;
        this.table = table;
        this.version = version;
        this.spec = spec;
        this.rows = rows;
        this.self = self;
        this.resolver = new Resolver(Dependencies.source(self, deps, spec.name()), "builder '" + spec.name() + "'");
        this.artifacts = artifacts;
        this.row = -1;
        this.stepArguments = new AtomicReference<>();
        this.prepared = new AtomicReference<>();
    }

    private ExecContext(ExecContext step, long row) {
        this.process = step.process;
        this.table = step.table;
        this.version = step.version;
        this.spec = step.spec;
        this.rows = step.rows;
        this.self = step.self;
        this.resolver = step.resolver;
        this.artifacts = step.artifacts;
        this.row = row;
        this.stepArguments = step.stepArguments;
        this.prepared = step.prepared;
    }

    /** The context a row-wise builder gets for {@code row}: arguments resolved for that row. */
    BuildContext forRow(long row) {
        return spec.args().perRow() ? new ExecContext(this, row) : this;
    }

    @Override
    public String table() {
        return table;
    }

    @Override
    public String version() {
        return version;
    }

    @Override
    public String builderName() {
        return spec.name();
    }

    @Override
    public List<Column> columns() {
        return spec.columns();
    }

    @Override
    public String processId() {
        return process.pid;
    }

    @Override
    public Map<String, Object> arguments() {
        if (row >= 0) {
            Map<String, Object> r = rowArguments;
            if (r == null) {
                Args.Prepared p = prepared.get();
                if (p == null) {
                    prepared.compareAndSet(null, spec.args().prepare(resolver));
                    p = prepared.get();
                }
                r = p.resolve(row);
                rowArguments = r;
            }
            return r;
        }
        Map<String, Object> r = stepArguments.get();
        if (r == null) {
            r = spec.args().resolve(resolver, -1);
            stepArguments.compareAndSet(null, r);
        }
        return r;
    }

    @Override
    public long rowCount() {
        return rows;
    }

    @Override
    public Object value(String column, long row) {
        int c = -1;
        for (int i = 0; i < self.columns().size(); i++) {
            if (self.columns().get(i).name().equals(column)) {
                c = i;
            }
        }
        if (c < 0) {
            throw new TvBuilderException(ErrorCode.BAD_BUILDER, "builder '" + spec.name() + "' read column '"
                    + column + "', which is not built before it; readable: "
                    + self.columns().stream().map(Column::name).toList() + " (declare a dependency on its builder)");
        }
        if (row < 0 || row >= rows) {
            throw new TvBuilderException(ErrorCode.BAD_BUILDER, "builder '" + spec.name() + "' read row " + row
                    + " of column '" + column + "'; the instance has rows 0.." + (rows - 1));
        }
        return self.value(c, row);
    }

    @Override
    public Path artifactFolder() {
        process.vault.requireArtifactRoot("the artifact folder of builder '" + spec.name() + "'");
        try {
            return Files.createDirectories(artifacts);
        } catch (IOException e) {
            throw FileErrors.fileFailure(process.vault.dir(), "cannot create the artifact folder " + artifacts, e);
        }
    }

    @Override
    public boolean stopRequested() {
        return process.stopRequested();
    }

    @Override
    public Vault vault() {
        return process.vault.childView(process.pid);
    }
}
