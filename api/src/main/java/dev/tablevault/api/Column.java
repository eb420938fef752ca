package dev.tablevault.api;

import java.util.Objects;

/** A column's name and type. */
public record Column(String name, ColumnType type) {
    public Column {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
    }
}
