package dev.tablevault.engine;

import dev.tablevault.api.InstanceOptions;
import dev.tablevault.api.OpOptions;
import dev.tablevault.api.TableOptions;
import dev.tablevault.api.TvLockException;
import dev.tablevault.api.Vault;
import dev.tablevault.api.VaultOptions;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Child-JVM main for {@link LockAcrossProcessesTest}: {@code DIR} opens the vault another OS process owns (so every
 * call goes through its socket), prints {@code READY <handle class>}, then runs one call per stdin line
 * ({@code createTable T}, {@code createInstance T PROCESS_ID}, {@code deleteTable T}) and prints {@code OK <result>},
 * or {@code LOCK <code> <holderId> <holderState> <holderPid>} and {@code MSG <message>} for a lock error.
 */
final class LockClientChild {
    private LockClientChild() {
    }

    public static void main(String[] args) throws Exception {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        try (Vault v = TableVault.open(Path.of(args[0]), VaultOptions.defaults())) {
            print("READY " + v.getClass().getSimpleName());
            String line;
            while ((line = in.readLine()) != null) {
                String[] a = line.split(" ");
                try {
                    String r = switch (a[0]) {
                        case "createTable" -> v.createTable(a[1], TableOptions.defaults());
                        case "createInstance" -> v.createInstance(a[1], InstanceOptions.defaults().externalEdit(true)
                                .processId(a[2]));
                        case "deleteTable" -> v.deleteTable(a[1], OpOptions.defaults());
                        default -> throw new IllegalArgumentException(line);
                    };
                    print("OK " + r);
                } catch (TvLockException e) {
                    print("LOCK " + e.code() + " " + e.holderId() + " " + e.holderState() + " " + e.holderPid());
                    print("MSG " + e.getMessage());
                }
            }
        }
    }

    private static void print(String line) {
        System.out.println(line);
        System.out.flush();
    }
}
