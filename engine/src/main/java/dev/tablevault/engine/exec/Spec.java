package dev.tablevault.engine.exec;

import dev.tablevault.api.Column;
import dev.tablevault.engine.ref.Args;

import java.util.List;
import java.util.Map;

/**
 * A validated builder spec. {@code columns} are its {@code changedColumns} with their types (STRING unless
 * declared); {@code mode} is {@code whole-column}, {@code row-wise} or {@code generator}; {@code args} are the
 * arguments with their references parsed; {@code dependencies} are the declared ones followed by those the
 * references imply. Immutable.
 */
record Spec(String name, boolean index, String builder, List<Column> columns, Map<String, Object> arguments,
            Args args, List<String> dependencies, String mode, int threads, String codeVersion, List<String> primaryKey,
            boolean keepOld) {
    Spec {
        columns = List.copyOf(columns);
        dependencies = List.copyOf(dependencies);
        primaryKey = List.copyOf(primaryKey);
    }
}
