package dev.tablevault.api;

import java.time.Duration;
import java.time.Instant;

/** Column types. Every column is nullable. */
public enum ColumnType {
    LONG(Long.class), DOUBLE(Double.class), BOOLEAN(Boolean.class), STRING(String.class), BYTES(byte[].class),
    TIMESTAMP(Instant.class), DURATION(Duration.class),
    /** A path relative to the instance's artifact folder. */
    ARTIFACT(String.class),
    /**
     * Any Java object, stored encoded with Kryo; it reads back as an object that {@code equals} the one
     * written (arrays compare by content, see {@link Frame#valueEquals}).
     *
     * <p>Policy: classes need no registration. Each value is written self-contained with its class name, by
     * Kryo's serializers for JDK types (boxed numbers, strings, collections including {@code List.of}, maps,
     * arrays, enums, {@code java.time}, {@code BigDecimal}, {@code UUID}), records by their components, and
     * other classes by their fields, matched by name so that fields added or removed later read back as
     * defaults or are skipped. Constructors are not called on reading (a no-arg one is not required). A value
     * is accepted only if it also reads back, so a write never stores what cannot be read: lambdas,
     * {@code Collections.unmodifiableList} views, threads, files, sockets and other JDK types with
     * encapsulated fields, and graphs nested deeper than 512 levels (or than the thread's stack allows) are
     * refused with a {@link TableVaultException} naming the column, row and class ({@code BAD_ARGUMENT} from
     * {@code writeInstance}, {@code BAD_BUILDER} from a builder).
     *
     * <p>Reading needs the value's classes on the class path (the class loader that loaded Kryo); otherwise,
     * or if a field changed its type, the read fails with {@link ErrorCode#OBJECT_CLASS} naming the class. The
     * vault trusts its own files: reading loads the classes they name (no constructors or {@code readObject}
     * run), so do not open vaults from untrusted sources. A {@link Frame} holds these values by reference: do
     * not change them after building the frame. Values built the same way encode to the same bytes, which
     * resuming a {@code writeInstance} relies on (it compares a digest); an equal hash map built another way
     * (other capacity) or a hash set of objects without {@code hashCode} may not, and the resume then refuses
     * the frame as changed. Changed-column detection compares values with {@code equals}, so a class without
     * it always counts as changed.
     */
    OBJECT(Object.class);

    private final Class<?> javaType;

    ColumnType(Class<?> javaType) {
        this.javaType = javaType;
    }

    /** The Java class of a non-null value ({@code Object} for {@link #OBJECT}). */
    public Class<?> javaType() {
        return javaType;
    }

    /**
     * The value a text stands for: numbers and booleans ({@code true}/{@code false}, any case) as written,
     * surrounding blanks ignored; TIMESTAMP and DURATION in ISO-8601; BYTES in Base64; STRING and ARTIFACT the
     * text itself. OBJECT values have no text form.
     *
     * @throws IllegalArgumentException naming what was expected
     */
    public Object parse(String text) {
        String t = text.strip();
        try {
            return switch (this) {
                case LONG -> Long.parseLong(t);
                case DOUBLE -> Double.parseDouble(t);
                case BOOLEAN -> {
                    if (!t.equalsIgnoreCase("true") && !t.equalsIgnoreCase("false")) {
                        throw new IllegalArgumentException("expected true or false");
                    }
                    yield Boolean.parseBoolean(t);
                }
                case STRING, ARTIFACT -> text;
                case BYTES -> java.util.Base64.getDecoder().decode(t);
                case TIMESTAMP -> Instant.parse(t);
                case DURATION -> Duration.parse(t);
                case OBJECT -> throw new IllegalArgumentException("object values have no text form");
            };
        } catch (java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException("expected ISO-8601: " + e.getMessage(), e);
        }
    }

    /** True when {@code value} (null allowed) may be stored in a column of this type. */
    public boolean accepts(Object value) {
        return value == null || javaType.isInstance(value);
    }
}
