package dev.tablevault.arrow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tablevault.api.ErrorCode;
import dev.tablevault.api.TvArgumentException;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One query as DuckDB's own parser reads it ({@code json_serialize_sql}): refused unless it is exactly one SELECT,
 * then each read of a vault table is given a stream of its own, because a registered Arrow stream can be scanned
 * once only (a self-join reads the table twice). The rewritten tree goes back to SQL through
 * {@code json_deserialize_sql}. Column names the query mentions are collected so each stream reads only the
 * columns the query can use; anything that may use a column without naming it ({@code *}, {@code COLUMNS},
 * a NATURAL join, a positional reference, a whole-row reference by table name) reads all of them.
 */
final class SqlStatement {
    /** The prefix of the names streams are registered under; a query naming such a table is refused. */
    static final String STREAM_PREFIX = "__tv_scan_";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern FIRST_WORD = Pattern.compile("(?:\\s|--[^\\n]*\\n?|/\\*.*?\\*/)*([A-Za-z]+)",
            Pattern.DOTALL);
    private static final Set<String> READS = Set.of("SELECT", "FROM", "VALUES", "TABLE", "DESCRIBE", "SUMMARIZE");
    private static final Pattern WRITE_AFTER_WITH = Pattern.compile("\\b(INSERT|UPDATE|DELETE|MERGE)\\b",
            Pattern.CASE_INSENSITIVE);

    /** A vault table as the query names it, resolved: {@code instanceId} null means the latest successful one. */
    record Table(String table, String instanceId) {
    }

    /** One read of a vault table: the stream registered for it, and its columns (lower case), or null for all. */
    record Read(String stream, Table table, Set<String> mentioned, boolean allColumns) {
    }

    private final String sql;
    private final List<Read> reads;

    private SqlStatement(String sql, List<Read> reads) {
        this.sql = sql;
        this.reads = reads;
    }

    /** The query to run: the caller's, with each vault table read replaced by its stream. */
    String sql() {
        return sql;
    }

    List<Read> reads() {
        return reads;
    }

    /**
     * Parses {@code query} on {@code duck} and rewrites it. {@code resolve} turns a table name as written (without
     * schema) into a vault table, or null when the vault has none of that name.
     *
     * @throws TvArgumentException {@code READ_ONLY} for any statement that is not a SELECT, {@code BAD_ARGUMENT}
     *     for a syntax error or more than one statement, {@code NOT_FOUND} for a table the vault does not have
     */
    static SqlStatement parse(Connection duck, String query, Function<String, Table> resolve) throws SQLException {
        JsonNode root = serialize(duck, "SELECT json_serialize_sql(?)", query);
        if (root.path("error").asBoolean(false)) {
            throw refusal(query, root);
        }
        JsonNode statements = root.path("statements");
        if (statements.size() != 1) {
            throw new TvArgumentException(ErrorCode.BAD_ARGUMENT, "give exactly one SELECT statement, not "
                    + statements.size());
        }
        Walk walk = new Walk(resolve);
        walk.node(statements.get(0), Set.of());
        List<Read> reads = new ArrayList<>();
        boolean everything = walk.star || walk.natural;
        for (int i = 0; i < walk.found.size(); i++) {
            Found f = walk.found.get(i);
            boolean whole = everything || walk.wholeRows.contains(f.written.toLowerCase(Locale.ROOT))
                    || walk.wholeRows.contains(f.alias.toLowerCase(Locale.ROOT));
            reads.add(new Read(f.stream, f.table, walk.names, whole));
        }
        JsonNode text = serialize(duck, "SELECT json_deserialize_sql(?)", root.toString());
        return new SqlStatement(text.asText(), List.copyOf(reads));
    }

    private static JsonNode serialize(Connection duck, String call, String arg) throws SQLException {
        try (PreparedStatement ps = duck.prepareStatement(call)) {
            ps.setString(1, arg);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                String out = rs.getString(1);
                return call.contains("deserialize") ? JSON.getNodeFactory().textNode(out) : JSON.readTree(out);
            }
        } catch (IOException e) {
            throw new SQLException("DuckDB's parse tree did not read as JSON: " + e.getMessage(), e);
        }
    }

    private static TvArgumentException refusal(String query, JsonNode root) {
        String type = root.path("error_type").asText();
        String message = root.path("error_message").asText();
        if (type.equals("not implemented") && message.contains("Only SELECT")) {
            String kind = statementKind(query);
            return new TvArgumentException(ErrorCode.READ_ONLY, "SQL over a vault is read-only: " + kind
                    + " statements are refused; run a single SELECT (WITH ... SELECT, FROM ..., DESCRIBE and SUMMARIZE"
                    + " are SELECTs too; PIVOT is not supported)");
        }
        String where = root.has("position") ? " at character " + (root.path("position").asLong() + 1) : "";
        return new TvArgumentException(ErrorCode.BAD_ARGUMENT, "SQL " + type + " error" + where + ": " + message);
    }

    /**
     * The kind of the first statement of {@code query} that is not a read, by its leading keyword as written, for
     * the message only (DuckDB's parser decides what is refused).
     */
    static String statementKind(String query) {
        String kind = null;
        for (String piece : query.split(";")) {
            Matcher m = FIRST_WORD.matcher(piece);
            if (!m.lookingAt()) {
                continue;
            }
            String word = m.group(1).toUpperCase(Locale.ROOT);
            if (word.equals("WITH")) {
                Matcher w = WRITE_AFTER_WITH.matcher(piece);
                word = w.find() ? "WITH ... " + w.group(1).toUpperCase(Locale.ROOT) : null;
            }
            if (word != null && !READS.contains(word)) {
                return word;
            }
            kind = kind == null ? word : kind;
        }
        return kind == null ? "non-SELECT" : kind;
    }

    private record Found(String stream, Table table, String written, String alias) {
    }

    /** A walk over the parse tree; CTE names are in scope where SQL puts them, so they shadow vault tables. */
    private static final class Walk {
        private final Function<String, Table> resolve;
        private final List<Found> found = new ArrayList<>();
        private final Set<String> names = new HashSet<>();
        /** Names used alone as a column ({@code SELECT t FROM t}): maybe a whole row, as a struct. */
        private final Set<String> wholeRows = new HashSet<>();
        private boolean star;
        private boolean natural;
        /** How deep the walk is in the recursive part of recursive CTEs, which runs again at each step. */
        private int recursive;

        Walk(Function<String, Table> resolve) {
            this.resolve = resolve;
        }

        void node(JsonNode n, Set<String> scope) {
            if (n.isArray()) {
                for (JsonNode e : n) {
                    node(e, scope);
                }
                return;
            }
            if (!n.isObject()) {
                return;
            }
            Set<String> inner = scope;
            JsonNode ctes = n.path("cte_map").path("map");
            if (ctes.isArray() && !ctes.isEmpty()) {
                inner = new HashSet<>(scope);
                for (JsonNode cte : ctes) {
                    // A CTE's body sees the CTEs before it (and itself, when recursive: see RECURSIVE_CTE_NODE).
                    node(cte.path("value"), Set.copyOf(inner));
                    inner.add(cte.path("key").asText().toLowerCase(Locale.ROOT));
                }
            }
            String type = n.path("type").asText();
            if (type.equals("RECURSIVE_CTE_NODE")) {
                inner = new HashSet<>(inner);
                inner.add(n.path("cte_name").asText().toLowerCase(Locale.ROOT));
            }
            switch (type) {
                case "BASE_TABLE" -> baseTable((ObjectNode) n, scope);
                case "STAR", "POSITIONAL_REFERENCE" -> star = true;
                case "COLUMN_REF" -> columnRef(n.path("column_names"));
                default -> {
                }
            }
            if (n.path("ref_type").asText().equals("NATURAL")) {
                natural = true;
            }
            n.path("using_columns").forEach(c -> names.add(c.asText().toLowerCase(Locale.ROOT)));
            var fields = n.fields();
            while (fields.hasNext()) {
                var f = fields.next();
                boolean recursivePart = type.equals("RECURSIVE_CTE_NODE") && f.getKey().equals("right");
                if (recursivePart) {
                    recursive++;
                }
                if (!f.getKey().equals("cte_map")) {
                    node(f.getValue(), inner);
                }
                if (recursivePart) {
                    recursive--;
                }
            }
        }

        private void columnRef(JsonNode parts) {
            parts.forEach(c -> names.add(c.asText().toLowerCase(Locale.ROOT)));
            if (parts.size() == 1) {
                wholeRows.add(parts.get(0).asText().toLowerCase(Locale.ROOT));
            }
        }

        private void baseTable(ObjectNode n, Set<String> scope) {
            String name = n.path("table_name").asText();
            if (!n.path("schema_name").asText().isEmpty() || !n.path("catalog_name").asText().isEmpty()) {
                return; // DuckDB's own catalog (information_schema.tables ...), not the vault
            }
            if (scope.contains(name.toLowerCase(Locale.ROOT))) {
                return; // a CTE
            }
            if (name.regionMatches(true, 0, STREAM_PREFIX, 0, STREAM_PREFIX.length())) {
                throw new TvArgumentException(ErrorCode.BAD_ARGUMENT, "table names starting with '" + STREAM_PREFIX
                        + "' are reserved for the streams SQL reads the vault through: '" + name + "'");
            }
            Table t = resolve.apply(name);
            if (t == null) {
                throw new TvArgumentException(ErrorCode.NOT_FOUND, "no table '" + name + "' in the vault (name an"
                        + " instance as \"table@instanceId\"; 'tv tables' lists the tables)");
            }
            if (recursive > 0) {
                throw new TvArgumentException(ErrorCode.BAD_ARGUMENT, "the recursive part of a recursive CTE reads"
                        + " table '" + name + "' again at each step, which a vault table's stream cannot do: read it"
                        + " into a CTE first, WITH RECURSIVE m AS MATERIALIZED (SELECT ... FROM " + name + "), ...");
            }
            String stream = STREAM_PREFIX + found.size();
            String alias = n.path("alias").asText();
            if (alias.isEmpty()) {
                alias = name;
                n.put("alias", alias);
            }
            n.put("table_name", stream);
            if (n.has("qualified_name")) {
                ArrayNode path = JSON.createArrayNode().add(stream);
                ((ObjectNode) n.get("qualified_name")).set("path", path);
            }
            found.add(new Found(stream, t, name, alias));
        }
    }
}
