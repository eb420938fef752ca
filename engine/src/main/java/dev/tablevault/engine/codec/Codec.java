package dev.tablevault.engine.codec;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.Registration;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.util.DefaultClassResolver;
import com.esotericsoftware.kryo.serializers.CollectionSerializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import dev.tablevault.api.Column;
import dev.tablevault.api.ColumnType;
import dev.tablevault.api.ErrorCode;
import dev.tablevault.api.LockMode;
import dev.tablevault.api.ProcessState;
import dev.tablevault.api.TvStorageException;

import java.util.ArrayList;

/**
 * Encodes persisted records with Kryo: one leading format tag byte, then the object with its registered class
 * id. Unknown tags and unregistered ids are a {@link TvStorageException}, never a silent misread. Thread safe:
 * each thread uses its own Kryo, because a Kryo is not.
 */
public final class Codec {
    /** The tag of the current record encoding. */
    public static final byte TAG = 1;

    /**
     * One Kryo per thread, taken out while in use: a nested call on the same thread (none today) makes its own.
     * Cheaper than a shared pool, whose queue every small operation's half-dozen records went through.
     */
    private static final ThreadLocal<Kryo[]> LOCAL = ThreadLocal.withInitial(() -> new Kryo[1]);

    private static Kryo obtain() {
        Kryo[] slot = LOCAL.get();
        Kryo k = slot[0];
        if (k == null) {
            return newKryo();
        }
        slot[0] = null;
        return k;
    }

    private static void free(Kryo k) {
        LOCAL.get()[0] = k;
    }

    private Codec() {
    }

    private static Kryo newKryo() {
        Kryo k = new Kryo(new IdsOnly(), null);
        k.setRegistrationRequired(true);
        k.setReferences(false);
        // Fixed ids: never renumber, only append.
        k.register(String.class, new BoundedStrings());
        k.register(ArrayList.class, new BoundedLists(), 20);
        k.register(Column.class, 30);
        k.register(ColumnType.class, 31);
        k.register(ProcessState.class, 32);
        k.register(LockMode.class, 33);
        k.register(Records.VaultRecord.class, 40);
        k.register(Records.TableRecord.class, 41);
        k.register(Records.InstanceRecord.class, 42);
        k.register(Records.BuilderRecord.class, 43);
        k.register(Records.ProcessRecord.class, 44);
        k.register(Records.LogEntry.class, 45);
        k.register(Records.LockRecord.class, 46);
        k.register(Records.WriteProgress.class, 47);
        k.register(Records.ExecProgress.class, 48);
        k.register(Records.DepRecord.class, 49);
        k.register(Records.ArtifactSums.class, 50);
        k.register(Records.TrimRecord.class, 51);
        k.register(Records.CreateTableArgs.class, 60);
        k.register(Records.RenameTableArgs.class, 61);
        k.register(Records.DeleteTableArgs.class, 62);
        k.register(Records.CreateInstanceArgs.class, 63);
        k.register(Records.DeleteInstanceArgs.class, 64);
        k.register(Records.PutBuilderArgs.class, 65);
        k.register(Records.DeleteBuilderArgs.class, 66);
        k.register(Records.WriteInstanceArgs.class, 67);
        k.register(Records.StopArgs.class, 68);
        k.register(Records.ExecuteArgs.class, 69);
        return k;
    }

    /** Bytes left in {@code in}: a length read from a record can never exceed it. */
    private static int remaining(Input in) {
        return in.limit() - in.position();
    }

    /**
     * Writes a string as its char count then each UTF-16 char as a varint (one byte for ASCII). Unlike UTF-8
     * this keeps lone surrogates, which are legal in Java strings.
     */
    public static void writeChars(Output out, String s) {
        int n = s.length();
        out.writeVarInt(n, true);
        for (int i = 0; i < n; i++) {
            out.writeVarInt(s.charAt(i), true);
        }
    }

    /** Reads what {@link #writeChars} wrote; a count beyond the bytes left is corruption, never an allocation. */
    public static String readChars(Input in) {
        int n = in.readVarInt(true);
        if (n < 0 || n > remaining(in)) {
            throw new KryoException("string length " + n + " exceeds the " + remaining(in) + " bytes left");
        }
        char[] chars = new char[n];
        for (int i = 0; i < n; i++) {
            chars[i] = (char) in.readVarInt(true);
        }
        return new String(chars);
    }

    /**
     * Every class is registered with an id, so a class written by name can only be garbage; refusing it keeps
     * Kryo from reading a name of a corrupt length.
     */
    private static final class IdsOnly extends DefaultClassResolver {
        @Override
        protected Registration readName(Input input) {
            throw new KryoException("class written by name; every record class has a registered id");
        }
    }

    /** Nullable strings in the {@link #writeChars} form, behind a presence byte. */
    private static final class BoundedStrings extends Serializer<String> {
        BoundedStrings() {
            setImmutable(true);
            setAcceptsNull(true);
        }

        @Override
        public void write(Kryo kryo, Output out, String s) {
            out.writeBoolean(s != null);
            if (s != null) {
                writeChars(out, s);
            }
        }

        @Override
        public String read(Kryo kryo, Input in, Class<? extends String> type) {
            return in.readBoolean() ? readChars(in) : null;
        }
    }

    /** ArrayLists whose element count is checked against the bytes left (each element takes at least one). */
    private static final class BoundedLists extends CollectionSerializer<ArrayList<Object>> {
        @Override
        protected ArrayList<Object> create(Kryo kryo, Input in, Class<? extends ArrayList<Object>> type, int size) {
            if (size < 0 || size > remaining(in)) {
                throw new KryoException("list length " + size + " exceeds the " + remaining(in) + " bytes left");
            }
            return new ArrayList<>(size);
        }
    }

    /** Encodes a registered record. */
    public static byte[] encode(Object value) {
        Kryo k = obtain();
        try (Output out = new Output(128, -1)) {
            out.writeByte(TAG);
            k.writeClassAndObject(out, value);
            return out.toBytes();
        } finally {
            free(k);
        }
    }

    /** Decodes a value written by {@link #encode}; {@code what} names it in errors. */
    public static <T> T decode(byte[] bytes, Class<T> type, String what) {
        if (bytes == null || bytes.length == 0) {
            throw new TvStorageException(ErrorCode.CORRUPTION, "empty record for " + what);
        }
        if (bytes[0] != TAG) {
            throw new TvStorageException(ErrorCode.UNSUPPORTED_FORMAT, "record " + what + " has format tag "
                    + bytes[0] + "; this engine reads tag " + TAG + ": open it with a newer TableVault");
        }
        Kryo k = obtain();
        try (Input in = new Input(bytes, 1, bytes.length - 1)) {
            Object o = k.readClassAndObject(in);
            if (!type.isInstance(o)) {
                throw new TvStorageException(ErrorCode.CORRUPTION, "record " + what + " decodes to "
                        + (o == null ? "null" : o.getClass().getSimpleName()) + ", expected " + type.getSimpleName());
            }
            return type.cast(o);
        } catch (TvStorageException e) {
            throw e;
        } catch (RuntimeException e) {
            // Garbage can trip any check inside Kryo (negative sizes, bad ids, unreadable class names).
            throw new TvStorageException(ErrorCode.CORRUPTION, "record " + what + " does not decode: "
                    + e + "; run 'tv verify'", e);
        } finally {
            free(k);
        }
    }
}
