package dev.tablevault.engine;

import dev.tablevault.api.Column;

import java.util.List;
import java.util.Map;

/**
 * A validated builder spec. {@code columns} are its {@code changedColumns} with their types (STRING unless
 * declared); {@code mode} is {@code whole-column}, {@code row-wise} or {@code generator}. Immutable.
 */
record Spec(String name, boolean index, String builder, List<Column> columns, Map<String, Object> arguments,
            List<String> dependencies, String mode, int threads, String codeVersion, List<String> primaryKey,
            boolean keepOld) {
    Spec {
        columns = List.copyOf(columns);
        dependencies = List.copyOf(dependencies);
        primaryKey = List.copyOf(primaryKey);
    }
}
