package dev.tablevault.api;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;

/**
 * One column's values, stored without boxing: a validity bitmap, and per type LONG {@code long[]}, DOUBLE
 * {@code double[]}, BOOLEAN a bitmap, TIMESTAMP and DURATION seconds ({@code long[]}) and nanoseconds
 * ({@code int[]}, 0 to 999,999,999) so every {@link Instant} and {@link Duration} is exact, STRING and ARTIFACT
 * one byte array of UTF-8 with an offset per row (a lone surrogate, which UTF-8 cannot hold, is written as its
 * own 3-byte sequence, WTF-8, so every Java string round-trips), BYTES one byte array with offsets, OBJECT an
 * {@code Object[]} of references. Immutable and thread safe (OBJECT values are held by reference and must not
 * be changed). Build one with {@link #builder}.
 *
 * <p>Typed getters read a row of their own type only ({@link IllegalStateException} for another); on a null row
 * they return 0, {@code false} or null: ask {@link #isNull} first. {@link #get} boxes.
 */
public final class ColumnVector {
    private final ColumnType type;
    private final int size;
    private final int nullCount;
    /** Bit {@code r} set: row r is not null. Null when no row is null. */
    private final long[] valid;
    /** LONG values, BOOLEAN bits, TIMESTAMP/DURATION seconds. */
    private final long[] longs;
    private final double[] doubles;
    private final int[] nanos;
    /** STRING/ARTIFACT (WTF-8) and BYTES data; row r is {@code bytes[offsets[r], offsets[r + 1])}. */
    private final byte[] bytes;
    private final int[] offsets;
    private final Object[] objects;

    private ColumnVector(Builder b) {
        this.type = b.type;
        this.size = b.size;
        this.nullCount = b.nullCount;
        this.valid = b.valid;
        this.longs = b.longs;
        this.doubles = b.doubles;
        this.nanos = b.nanos;
        this.bytes = b.bytes;
        this.offsets = b.offsets;
        this.objects = b.objects;
    }

    /** A builder for about {@code expectedRows} values of {@code type} (it grows past that). */
    public static Builder builder(ColumnType type, int expectedRows) {
        return new Builder(type, expectedRows);
    }

    /** A vector of the values in {@code values} (see {@link Builder#append(Object)}). */
    public static ColumnVector of(ColumnType type, Object... values) {
        Builder b = builder(type, values.length);
        for (Object v : values) {
            b.append(v);
        }
        return b.build();
    }

    public ColumnType type() {
        return type;
    }

    public int size() {
        return size;
    }

    /** The number of null rows. */
    public int nullCount() {
        return nullCount;
    }

    public boolean isNull(int row) {
        Objects.checkIndex(row, size);
        return valid != null && (valid[row >>> 6] & 1L << row) == 0;
    }

    public long getLong(int row) {
        want(ColumnType.LONG);
        Objects.checkIndex(row, size);
        return longs[row];
    }

    public double getDouble(int row) {
        want(ColumnType.DOUBLE);
        Objects.checkIndex(row, size);
        return doubles[row];
    }

    public boolean getBoolean(int row) {
        want(ColumnType.BOOLEAN);
        Objects.checkIndex(row, size);
        return (longs[row >>> 6] & 1L << row) != 0;
    }

    /** The value of a STRING or ARTIFACT row (decoded on each call), or null. */
    public String getString(int row) {
        if (type != ColumnType.STRING && type != ColumnType.ARTIFACT) {
            throw wrongType("STRING or ARTIFACT");
        }
        return isNull(row) ? null : Wtf8.decode(bytes, offsets[row], offsets[row + 1]);
    }

    /** A copy of a BYTES row, or null. */
    public byte[] getBytes(int row) {
        want(ColumnType.BYTES);
        return isNull(row) ? null : Arrays.copyOfRange(bytes, offsets[row], offsets[row + 1]);
    }

    public Instant getTimestamp(int row) {
        want(ColumnType.TIMESTAMP);
        return isNull(row) ? null : Instant.ofEpochSecond(longs[row], nanos[row]);
    }

    public Duration getDuration(int row) {
        want(ColumnType.DURATION);
        return isNull(row) ? null : Duration.ofSeconds(longs[row], nanos[row]);
    }

    /** TIMESTAMP or DURATION: the seconds part (of the epoch, or of the duration, floor), 0 on a null row. */
    public long getSeconds(int row) {
        wantTime();
        Objects.checkIndex(row, size);
        return longs[row];
    }

    /** TIMESTAMP or DURATION: the nanoseconds after {@link #getSeconds}, 0 to 999,999,999. */
    public int getNanos(int row) {
        wantTime();
        Objects.checkIndex(row, size);
        return nanos[row];
    }

    /** An OBJECT row's value (by reference), or null. */
    public Object getObject(int row) {
        want(ColumnType.OBJECT);
        Objects.checkIndex(row, size);
        return objects[row];
    }

    /**
     * STRING, ARTIFACT, BYTES: a read-only view of every row's bytes (strings as WTF-8), row r at
     * {@code [valueOffset(r), valueOffset(r + 1))}.
     */
    public ByteBuffer valueBytes() {
        wantVariable();
        return ByteBuffer.wrap(bytes, 0, offsets[size]).asReadOnlyBuffer();
    }

    /** STRING, ARTIFACT, BYTES: where row {@code row}'s bytes start in {@link #valueBytes}; {@code row == size()}: the end. */
    public int valueOffset(int row) {
        wantVariable();
        Objects.checkIndex(row, size + 1);
        return offsets[row];
    }

    /** The value as {@link Frame#get} gives it: boxed, null, a copy of a byte array. */
    public Object get(int row) {
        if (isNull(row)) {
            return null;
        }
        return switch (type) {
            case LONG -> longs[row];
            case DOUBLE -> doubles[row];
            case BOOLEAN -> getBoolean(row);
            case STRING, ARTIFACT -> getString(row);
            case BYTES -> getBytes(row);
            case TIMESTAMP -> getTimestamp(row);
            case DURATION -> getDuration(row);
            case OBJECT -> objects[row];
        };
    }

    /** True when rows {@code row} of this and {@code row2} of {@code other} hold equal values ({@link Frame#valueEquals}). */
    public boolean valueEquals(int row, ColumnVector other, int row2) {
        boolean n = isNull(row);
        if (type != other.type || n != other.isNull(row2)) {
            return false;
        }
        if (n) {
            return true;
        }
        return switch (type) {
            case LONG -> longs[row] == other.longs[row2];
            case DOUBLE -> Double.doubleToLongBits(doubles[row]) == Double.doubleToLongBits(other.doubles[row2]);
            case BOOLEAN -> getBoolean(row) == other.getBoolean(row2);
            case STRING, ARTIFACT, BYTES -> Arrays.equals(bytes, offsets[row], offsets[row + 1], other.bytes,
                    other.offsets[row2], other.offsets[row2 + 1]);
            case TIMESTAMP, DURATION -> longs[row] == other.longs[row2] && nanos[row] == other.nanos[row2];
            case OBJECT -> Objects.deepEquals(objects[row], other.objects[row2]);
        };
    }

    /** Same type, size and values (by {@link #valueEquals}). */
    @Override
    public boolean equals(Object o) {
        if (!(o instanceof ColumnVector v) || v.type != type || v.size != size) {
            return false;
        }
        for (int r = 0; r < size; r++) {
            if (!valueEquals(r, v, r)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, size);
    }

    @Override
    public String toString() {
        return "ColumnVector[" + type + ", " + size + " rows, " + nullCount + " null]";
    }

    private void want(ColumnType t) {
        if (type != t) {
            throw wrongType(t.toString());
        }
    }

    private void wantTime() {
        if (type != ColumnType.TIMESTAMP && type != ColumnType.DURATION) {
            throw wrongType("TIMESTAMP or DURATION");
        }
    }

    private void wantVariable() {
        if (offsets == null) {
            throw wrongType("STRING, ARTIFACT or BYTES");
        }
    }

    private IllegalStateException wrongType(String wanted) {
        return new IllegalStateException("the column is " + type + ", not " + wanted);
    }

    /**
     * Appends values of one type, growing as needed; {@link #build} hands its arrays to the vector, after which
     * the builder refuses further use. Not thread safe.
     */
    public static final class Builder {
        private static final long MAX_SECONDS = Instant.MAX.getEpochSecond();
        private static final long MIN_SECONDS = Instant.MIN.getEpochSecond();
        private final ColumnType type;
        private int size;
        private int nullCount;
        private int capacity;
        private long[] valid;
        private long[] longs;
        private double[] doubles;
        private int[] nanos;
        private byte[] bytes;
        private int[] offsets;
        private Object[] objects;
        private boolean built;

        private Builder(ColumnType type, int expectedRows) {
            this.type = Objects.requireNonNull(type, "type");
            if (expectedRows < 0) {
                throw new IllegalArgumentException("expectedRows " + expectedRows + " < 0");
            }
            capacity = Math.max(expectedRows, 1);
            switch (type) {
                case LONG -> longs = new long[capacity];
                case DOUBLE -> doubles = new double[capacity];
                case BOOLEAN -> longs = new long[words(capacity)];
                case TIMESTAMP, DURATION -> {
                    longs = new long[capacity];
                    nanos = new int[capacity];
                }
                case STRING, ARTIFACT, BYTES -> {
                    offsets = new int[capacity + 1];
                    // A guess of 8 bytes a value, capped: a large estimate should not reserve memory unused.
                    bytes = new byte[(int) Math.min(1 << 24, Math.max(16, capacity * 8L))];
                }
                case OBJECT -> objects = new Object[capacity];
            }
        }

        public ColumnType type() {
            return type;
        }

        /** Values appended so far. */
        public int size() {
            return size;
        }

        public Builder appendLong(long v) {
            want(ColumnType.LONG);
            longs[size] = v;
            size++;
            return this;
        }

        public Builder appendDouble(double v) {
            want(ColumnType.DOUBLE);
            doubles[size] = v;
            size++;
            return this;
        }

        public Builder appendBoolean(boolean v) {
            want(ColumnType.BOOLEAN);
            if (v) {
                longs[size >>> 6] |= 1L << size;
            }
            size++;
            return this;
        }

        /** STRING or ARTIFACT; null appends a null. */
        public Builder appendString(String s) {
            checkString();
            if (s == null) {
                return appendNull();
            }
            prepare();
            int n = s.length();
            int at = offsets[size];
            ensureBytes(at + Wtf8.length(s, 0, n));
            offsets[size + 1] = Wtf8.encode(s, 0, n, bytes, at);
            size++;
            return this;
        }

        /** STRING or ARTIFACT: appends the string of {@code chars[from, from + len)}. */
        public Builder appendChars(char[] chars, int from, int len) {
            Objects.checkFromIndexSize(from, len, chars.length);
            wantString();
            java.nio.CharBuffer cs = java.nio.CharBuffer.wrap(chars);
            int at = offsets[size];
            ensureBytes(at + Wtf8.length(cs, from, from + len));
            offsets[size + 1] = Wtf8.encode(cs, from, from + len, bytes, at);
            size++;
            return this;
        }

        /**
         * STRING or ARTIFACT: appends the string whose chars are the bytes {@code b[from, from + len)}, if every
         * one is ASCII (below 0x80); otherwise appends nothing and returns false. A decoder's fast path.
         */
        public boolean appendAscii(byte[] b, int from, int len) {
            checkString();
            Objects.checkFromIndexSize(from, len, b.length);
            ensure(size + 1);
            int at = offsets[size];
            ensureBytes((long) at + len);
            // One pass: copy while checking; bytes past the last offset are not part of any value yet.
            byte[] to = bytes;
            int bad = 0;
            for (int i = 0; i < len; i++) {
                byte c = b[from + i];
                bad |= c;
                to[at + i] = c;
            }
            if (bad < 0) {
                return false;
            }
            if (valid != null) {
                valid[size >>> 6] |= 1L << size;
            }
            offsets[size + 1] = at + len;
            size++;
            return true;
        }

        /** BYTES: appends a copy of {@code b}; null appends a null. */
        public Builder appendBytes(byte[] b) {
            if (b == null) {
                checkType(ColumnType.BYTES);
                return appendNull();
            }
            return appendBytes(b, 0, b.length);
        }

        /** BYTES: appends a copy of {@code b[from, from + len)}. */
        public Builder appendBytes(byte[] b, int from, int len) {
            Objects.checkFromIndexSize(from, len, b.length);
            want(ColumnType.BYTES);
            appendRaw(b, from, len);
            return this;
        }

        /** TIMESTAMP; null appends a null. */
        public Builder appendTimestamp(Instant t) {
            checkType(ColumnType.TIMESTAMP);
            return t == null ? appendNull() : appendTime(t.getEpochSecond(), t.getNano());
        }

        /**
         * TIMESTAMP: the instant {@code seconds} after the epoch plus {@code nanos}.
         *
         * @throws IllegalArgumentException for nanos outside 0..999,999,999 or an instant outside {@link Instant}'s range
         */
        public Builder appendTimestamp(long seconds, int nanos) {
            checkType(ColumnType.TIMESTAMP);
            if (seconds < MIN_SECONDS || seconds > MAX_SECONDS) {
                throw new IllegalArgumentException("epoch second " + seconds + " is outside Instant's range");
            }
            return appendTime(seconds, nanos);
        }

        /** DURATION; null appends a null. */
        public Builder appendDuration(Duration d) {
            checkType(ColumnType.DURATION);
            return d == null ? appendNull() : appendTime(d.getSeconds(), d.getNano());
        }

        /** DURATION: {@code seconds} plus {@code nanos} (0..999,999,999, else IllegalArgumentException). */
        public Builder appendDuration(long seconds, int nanos) {
            checkType(ColumnType.DURATION);
            return appendTime(seconds, nanos);
        }

        private Builder appendTime(long seconds, int n) {
            if (n < 0 || n > 999_999_999) {
                throw new IllegalArgumentException("nanoseconds " + n + " outside 0..999999999");
            }
            prepare();
            longs[size] = seconds;
            nanos[size] = n;
            size++;
            return this;
        }

        public Builder appendNull() {
            return appendNulls(1);
        }

        /** Appends {@code n} nulls. */
        public Builder appendNulls(int n) {
            if (n < 0) {
                throw new IllegalArgumentException("appendNulls(" + n + ")");
            }
            for (int i = 0; i < n; i++) {
                ensure(size + 1);
                if (valid == null) {
                    valid = new long[words(capacity)];
                    setAll(valid, size);
                }
                if (offsets != null) {
                    offsets[size + 1] = offsets[size];
                }
                size++;
                nullCount++;
            }
            return this;
        }

        /**
         * Appends a value of the column type's {@link ColumnType#javaType()} (a byte array is copied), or null.
         *
         * @throws IllegalArgumentException for a value of another class
         */
        public Builder append(Object v) {
            if (v == null) {
                return appendNull();
            }
            if (!type.accepts(v)) {
                throw new IllegalArgumentException("value of " + v.getClass().getName() + " is not a " + type);
            }
            return switch (type) {
                case LONG -> appendLong((Long) v);
                case DOUBLE -> appendDouble((Double) v);
                case BOOLEAN -> appendBoolean((Boolean) v);
                case STRING, ARTIFACT -> appendString((String) v);
                case BYTES -> appendBytes((byte[]) v);
                case TIMESTAMP -> appendTimestamp((Instant) v);
                case DURATION -> appendDuration((Duration) v);
                case OBJECT -> {
                    want(ColumnType.OBJECT);
                    objects[size] = v;
                    size++;
                    yield this;
                }
            };
        }

        /**
         * Appends rows {@code [from, to)} of {@code v}, a vector of this builder's type, without boxing (OBJECT
         * values by reference, the rest copied).
         *
         * @throws IllegalArgumentException for a vector of another type
         */
        public Builder appendFrom(ColumnVector v, int from, int to) {
            Objects.checkFromToIndex(from, to, v.size);
            if (v.type != type) {
                throw new IllegalArgumentException("the vector is " + v.type + ", the builder is for " + type);
            }
            int n = to - from;
            ensure(size + n);
            int nulls = 0;
            if (v.valid != null) {
                for (int i = from; i < to; i++) {
                    nulls += (int) (~v.valid[i >>> 6] >>> i & 1L);
                }
            }
            if (nulls > 0 && valid == null) {
                valid = new long[words(capacity)];
                setAll(valid, size);
            }
            if (valid != null) {
                for (int i = 0; i < n; i++) {
                    if (v.valid == null || (v.valid[(from + i) >>> 6] & 1L << (from + i)) != 0) {
                        valid[(size + i) >>> 6] |= 1L << (size + i);
                    }
                }
            }
            switch (type) {
                case LONG -> System.arraycopy(v.longs, from, longs, size, n);
                case DOUBLE -> System.arraycopy(v.doubles, from, doubles, size, n);
                case BOOLEAN -> {
                    for (int i = 0; i < n; i++) {
                        if ((v.longs[(from + i) >>> 6] & 1L << (from + i)) != 0) {
                            longs[(size + i) >>> 6] |= 1L << (size + i);
                        }
                    }
                }
                case TIMESTAMP, DURATION -> {
                    System.arraycopy(v.longs, from, longs, size, n);
                    System.arraycopy(v.nanos, from, nanos, size, n);
                }
                case STRING, ARTIFACT, BYTES -> {
                    int at = offsets[size];
                    int start = v.offsets[from];
                    ensureBytes((long) at + v.offsets[to] - start);
                    System.arraycopy(v.bytes, start, bytes, at, v.offsets[to] - start);
                    for (int i = 1; i <= n; i++) {
                        offsets[size + i] = at + v.offsets[from + i] - start;
                    }
                }
                case OBJECT -> System.arraycopy(v.objects, from, objects, size, n);
            }
            size += n;
            nullCount += nulls;
            return this;
        }

        /** The vector of the values appended; the builder cannot be used afterwards. */
        public ColumnVector build() {
            check();
            built = true;
            if (capacity - size > 4096 && capacity - size > size / 8) {
                resize(size);
            }
            if (valid != null) {
                valid = Arrays.copyOf(valid, words(size));
            }
            return new ColumnVector(this);
        }

        private void appendRaw(byte[] b, int from, int len) {
            int at = offsets[size];
            ensureBytes(at + len);
            System.arraycopy(b, from, bytes, at, len);
            offsets[size + 1] = at + len;
            size++;
        }

        /** Checks the type, makes room for one more value and marks it not null. */
        private void want(ColumnType t) {
            checkType(t);
            prepare();
        }

        private void wantString() {
            checkString();
            prepare();
        }

        private void checkType(ColumnType t) {
            if (type != t) {
                throw new IllegalStateException("the builder is for " + type + ", not " + t);
            }
        }

        private void checkString() {
            if (type != ColumnType.STRING && type != ColumnType.ARTIFACT) {
                throw new IllegalStateException("the builder is for " + type + ", not STRING or ARTIFACT");
            }
        }

        private void prepare() {
            ensure(size + 1);
            if (valid != null) {
                valid[size >>> 6] |= 1L << size;
            }
        }

        private void check() {
            if (built) {
                throw new IllegalStateException("the builder has built its vector");
            }
        }

        private void ensure(int rows) {
            check();
            if (rows > capacity) {
                if (rows < 0 || capacity == Integer.MAX_VALUE - 8) {
                    throw new IllegalStateException("a column holds at most " + (Integer.MAX_VALUE - 8) + " rows");
                }
                resize((int) Math.min(Integer.MAX_VALUE - 8, Math.max(rows, capacity + (capacity >> 1) + 16L)));
            }
        }

        private void resize(int c) {
            switch (type) {
                case LONG -> longs = Arrays.copyOf(longs, c);
                case DOUBLE -> doubles = Arrays.copyOf(doubles, c);
                case BOOLEAN -> longs = Arrays.copyOf(longs, words(c));
                case TIMESTAMP, DURATION -> {
                    longs = Arrays.copyOf(longs, c);
                    nanos = Arrays.copyOf(nanos, c);
                }
                case STRING, ARTIFACT, BYTES -> offsets = Arrays.copyOf(offsets, c + 1);
                case OBJECT -> objects = Arrays.copyOf(objects, c);
            }
            if (valid != null) {
                valid = Arrays.copyOf(valid, words(c));
            }
            capacity = c;
        }

        private void ensureBytes(long need) {
            if (need > bytes.length) {
                if (need > Integer.MAX_VALUE - 8) {
                    throw new IllegalStateException("a column holds at most " + (Integer.MAX_VALUE - 8)
                            + " bytes of strings or byte arrays");
                }
                bytes = Arrays.copyOf(bytes, (int) Math.min(Integer.MAX_VALUE - 8,
                        Math.max(need, bytes.length + (bytes.length >> 1) + 16L)));
            }
        }

        private static int words(int bits) {
            return (bits + 63) >>> 6;
        }

        /** Sets bits {@code [0, n)}. */
        private static void setAll(long[] bits, int n) {
            Arrays.fill(bits, 0, n >>> 6, -1L);
            if ((n & 63) != 0) {
                bits[n >>> 6] = (1L << n) - 1;
            }
        }
    }
}
