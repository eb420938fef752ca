package dev.tablevault.arrow;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tablevault.api.Column;
import dev.tablevault.api.ColumnType;
import dev.tablevault.api.ErrorCode;
import dev.tablevault.api.TvStorageException;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * DuckDB, the Parquet reader and writer: an in-memory database per use, SQL literals, and the file-level
 * key {@value #TYPES_KEY} (a JSON object column name to {@link ColumnType} name) that keeps the exact types
 * Parquet has no form for. Stateless.
 */
final class Duck {
    /** The Parquet key-value metadata key holding every column's type. */
    static final String TYPES_KEY = "tablevault.types";
    private static final ObjectMapper JSON = new ObjectMapper();

    private Duck() {
    }

    /** A new in-memory DuckDB; close it. */
    static Connection connect() {
        try {
            return DriverManager.getConnection("jdbc:duckdb:");
        } catch (SQLException e) {
            throw new TvStorageException(ErrorCode.IO, "cannot start DuckDB (the Parquet reader and writer): "
                    + e.getMessage(), e);
        }
    }

    /** {@code file} as a SQL string literal. */
    static String literal(Path file) {
        return text(file.toAbsolutePath().toString());
    }

    static String text(String s) {
        return "'" + s.replace("'", "''") + "'";
    }

    /** {@code columns}' types as the value of {@link #TYPES_KEY}. */
    static String typesJson(List<Column> columns) {
        Map<String, String> m = new LinkedHashMap<>();
        columns.forEach(c -> m.put(c.name(), c.type().name()));
        try {
            return JSON.writeValueAsString(m);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a map of strings always writes as JSON", e);
        }
    }

    /**
     * The types {@link #TYPES_KEY} of Parquet file {@code file} names; empty when it has none (a file we did not
     * write) or one that is not ours to read (ignored: the Arrow types decide).
     */
    static Map<String, ColumnType> declaredTypes(Connection c, Path file) throws SQLException {
        Map<String, ColumnType> out = new HashMap<>();
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT value FROM parquet_kv_metadata(" + literal(file) + ") WHERE key = "
                     + text(TYPES_KEY))) {
            if (!rs.next()) {
                return out;
            }
            Map<String, String> names;
            try {
                names = JSON.readValue(new String(rs.getBytes(1), StandardCharsets.UTF_8), new TypeReference<>() {
                });
            } catch (JsonProcessingException e) {
                return out;
            }
            for (Map.Entry<String, String> e : names.entrySet()) {
                for (ColumnType t : ColumnType.values()) {
                    if (t.name().equals(e.getValue())) {
                        out.put(e.getKey(), t);
                    }
                }
            }
            return out;
        }
    }
}
