package dev.tablevault.engine.codec;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import com.esotericsoftware.kryo.util.Pool;
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
 * Kryo instances are pooled because a Kryo is not.
 */
public final class Codec {
    /** The tag of the current record encoding. */
    public static final byte TAG = 1;

    private static final Pool<Kryo> POOL = new Pool<>(true, false, 64) {
        @Override
        protected Kryo create() {
            return newKryo();
        }
    };

    private Codec() {
    }

    private static Kryo newKryo() {
        Kryo k = new Kryo();
        k.setRegistrationRequired(true);
        k.setReferences(false);
        // Fixed ids: never renumber, only append.
        k.register(ArrayList.class, 20);
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
        k.register(Records.CreateTableArgs.class, 60);
        k.register(Records.RenameTableArgs.class, 61);
        k.register(Records.DeleteTableArgs.class, 62);
        k.register(Records.CreateInstanceArgs.class, 63);
        k.register(Records.DeleteInstanceArgs.class, 64);
        k.register(Records.PutBuilderArgs.class, 65);
        k.register(Records.DeleteBuilderArgs.class, 66);
        k.register(Records.WriteInstanceArgs.class, 67);
        k.register(Records.StopArgs.class, 68);
        return k;
    }

    /** Encodes a registered record. */
    public static byte[] encode(Object value) {
        Kryo k = POOL.obtain();
        try (Output out = new Output(128, -1)) {
            out.writeByte(TAG);
            k.writeClassAndObject(out, value);
            return out.toBytes();
        } finally {
            POOL.free(k);
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
        Kryo k = POOL.obtain();
        try (Input in = new Input(bytes, 1, bytes.length - 1)) {
            Object o = k.readClassAndObject(in);
            if (!type.isInstance(o)) {
                throw new TvStorageException(ErrorCode.CORRUPTION, "record " + what + " decodes to "
                        + (o == null ? "null" : o.getClass().getSimpleName()) + ", expected " + type.getSimpleName());
            }
            return type.cast(o);
        } catch (KryoException | IllegalArgumentException e) {
            throw new TvStorageException(ErrorCode.CORRUPTION, "record " + what + " does not decode: "
                    + e.getMessage() + "; run 'tv verify'", e);
        } finally {
            POOL.free(k);
        }
    }
}
