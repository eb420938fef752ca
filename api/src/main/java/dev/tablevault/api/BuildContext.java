package dev.tablevault.api;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What a builder sees while it runs. Thread safe; valid only during the call it was passed to.
 */
public interface BuildContext {
    String table();

    /** The version of the instance being built. */
    String version();

    /** The name of the builder spec being executed. */
    String builderName();

    /** The id of the executing process. */
    String processId();

    /**
     * The columns this builder produces, with their declared types: the spec's {@code changedColumns} in
     * order, typed by its {@code types} (STRING where none is declared). Never empty.
     */
    List<Column> columns();

    /**
     * The spec's {@code arguments} (strings, numbers, booleans, lists and maps as parsed from YAML or JSON)
     * with table references resolved; for a row-wise builder, resolved for the row being built.
     */
    Map<String, Object> arguments();

    /** Rows of the instance as its index builder defined them; -1 while the index builder runs. */
    long rowCount();

    /**
     * A value of the instance being built: a column of the index or of a builder that ran before this one.
     *
     * @throws TvBuilderException if the column does not exist yet or the row is out of range
     */
    Object value(String column, long row);

    /** The folder for this instance's artifacts; it exists. Files here are published with the instance. */
    Path artifactFolder();

    /** True when {@code stopProcess} was called on this process; long builders may return early. */
    boolean stopRequested();

    /**
     * The vault, for builders that write to it (an agent creating tables). Every write made through it runs
     * as a sub-process of the executing process ({@code ProcessInfo.parentId}) and may use the locks that
     * process holds; each is its own durable process (it commits, reverts or pauses by itself). A resumed
     * execution calls the builder again for rows not committed, so writes should be idempotent: name them with
     * process ids derived from the row and check {@code isProcessComplete} first. Valid during this call;
     * {@code close()} on it does nothing.
     */
    Vault vault();
}
