package dev.tablevault.engine.store;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import com.esotericsoftware.kryo.serializers.CompatibleFieldSerializer;
import com.esotericsoftware.kryo.serializers.DefaultSerializers;
import com.esotericsoftware.kryo.util.DefaultInstantiatorStrategy;
import com.esotericsoftware.kryo.util.Pool;
import dev.tablevault.api.ColumnType;
import dev.tablevault.api.ErrorCode;
import dev.tablevault.api.TvStorageException;
import org.objenesis.strategy.StdInstantiatorStrategy;

import java.util.UUID;
import java.util.function.Function;

/**
 * Kryo for {@link ColumnType#OBJECT} values (the policy is documented there): registration not required, class
 * names written, references tracked within a value, fields matched by name, no constructor needed. Each value
 * is its own Kryo stream. Thread safe: Kryo instances are pooled because a Kryo is not, and one that failed
 * mid-value is dropped rather than reused.
 */
final class ObjectCodec {
    /** Nesting deeper than this is refused rather than risking a StackOverflowError. */
    static final int MAX_DEPTH = 512;

    private static final Pool<Kryo> POOL = new Pool<>(true, false, 64) {
        @Override
        protected Kryo create() {
            return newKryo();
        }
    };

    private ObjectCodec() {
    }

    private static Kryo newKryo() {
        Kryo k = new Kryo();
        k.setRegistrationRequired(false);
        k.setReferences(true);
        k.setMaxDepth(MAX_DEPTH);
        k.setInstantiatorStrategy(new DefaultInstantiatorStrategy(new StdInstantiatorStrategy()));
        k.setDefaultSerializer(CompatibleFieldSerializer.class);
        // JDK types whose fields are encapsulated in java.base but that Kryo has serializers for.
        k.addDefaultSerializer(UUID.class, new DefaultSerializers.UUIDSerializer());
        return k;
    }

    /**
     * The encoding of {@code value}, once it is known to read back; otherwise {@code refuse} is given the
     * reason and its exception thrown.
     */
    static byte[] encode(Object value, Function<String, ? extends RuntimeException> refuse) {
        byte[] bytes;
        try {
            bytes = write(value);
        } catch (RuntimeException | StackOverflowError e) {
            throw refuse.apply("Kryo cannot write it (" + describe(e) + ")");
        }
        try {
            read(bytes);
        } catch (RuntimeException | StackOverflowError e) {
            throw refuse.apply("Kryo writes it but cannot read it back (" + describe(e) + ")");
        }
        return bytes;
    }

    private static byte[] write(Object value) {
        Kryo k = POOL.obtain();
        try (Output out = new Output(64, -1)) {
            k.writeClassAndObject(out, value);
            byte[] bytes = out.toBytes();
            POOL.free(k);
            return bytes;
        }
    }

    private static Object read(byte[] bytes) {
        Kryo k = POOL.obtain();
        try (Input in = new Input(bytes)) {
            Object o = k.readClassAndObject(in);
            if (in.position() != bytes.length) {
                throw new IllegalStateException((bytes.length - in.position()) + " bytes left after the value");
            }
            POOL.free(k);
            return o;
        }
    }

    /**
     * Decodes a stored value whose checksum matched: a failure here is a class that is missing or changed,
     * not garbage.
     */
    static Object decode(byte[] bytes) {
        try {
            return read(bytes);
        } catch (RuntimeException | StackOverflowError e) {
            String missing = missingClass(e);
            throw new TvStorageException(ErrorCode.OBJECT_CLASS, missing != null
                    ? "an OBJECT value is of class " + missing + ", which is not on the class path; add the jar"
                    + " that holds it to the class path of the program reading the vault"
                    : "an OBJECT value does not decode (" + describe(e) + "): its class changed incompatibly since"
                    + " it was written (a field changed type), or it nests deeper than this thread's stack allows;"
                    + " restore the class, or read on a thread with a larger stack", e);
        }
    }

    private static String missingClass(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ClassNotFoundException c) {
                return c.getMessage();
            }
        }
        return null;
    }

    /** The first line of an exception, with its cause's: Kryo appends multi-line serialization traces. */
    private static String describe(Throwable e) {
        StringBuilder sb = new StringBuilder(e.getClass().getSimpleName());
        String m = e.getMessage();
        if (m != null) {
            sb.append(": ").append(m.lines().findFirst().orElse(""));
        }
        Throwable c = e.getCause();
        if (c != null && c != e && c.getMessage() != null && (m == null || !m.contains(c.getMessage()))) {
            sb.append("; ").append(c.getClass().getSimpleName()).append(": ")
                    .append(c.getMessage().lines().findFirst().orElse(""));
        }
        return sb.toString();
    }
}
