package dev.tablevault.api;

import java.time.Duration;
import java.time.Instant;

/** Column types. Every column is nullable. */
public enum ColumnType {
    LONG(Long.class), DOUBLE(Double.class), BOOLEAN(Boolean.class), STRING(String.class), BYTES(byte[].class),
    TIMESTAMP(Instant.class), DURATION(Duration.class),
    /** A path relative to the instance's artifact folder. */
    ARTIFACT(String.class);

    private final Class<?> javaType;

    ColumnType(Class<?> javaType) {
        this.javaType = javaType;
    }

    /** The Java class of a non-null value. */
    public Class<?> javaType() {
        return javaType;
    }

    /** True when {@code value} (null allowed) may be stored in a column of this type. */
    public boolean accepts(Object value) {
        return value == null || javaType.isInstance(value);
    }
}
