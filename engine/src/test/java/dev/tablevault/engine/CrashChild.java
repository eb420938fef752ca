package dev.tablevault.engine;

import dev.tablevault.api.Vault;
import dev.tablevault.api.VaultOptions;
import dev.tablevault.engine.process.CrashPoints;

import java.nio.file.Path;

/**
 * Child-JVM main for {@link ChildJvmCrashTest}: opens the prepared vault, arms a crash point to halt the JVM
 * as {@code kill -9} would, and runs one scenario's operation. Arguments: vault dir, scenario name, crash
 * point, process id ({@code -} for a generated one), the fixture's base instance id and its executed instance
 * id ({@code -} for none). Exits 137 at the halt; 3 if the operation returned without reaching the point; 4 if
 * it threw.
 */
final class CrashChild {
    private CrashChild() {
    }

    public static void main(String[] args) {
        Scenarios.Scenario s = Scenarios.all().stream().filter(x -> x.name().equals(args[1])).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no scenario " + args[1]));
        String pid = args[3].equals("-") ? null : args[3];
        try (Vault v = TableVault.open(Path.of(args[0]), VaultOptions.defaults().author("child"))) {
            CrashPoints.arm(args[2], CrashPoints.Action.HALT);
            s.call().run(v, new Scenarios.Fixture(args[4], args[5].equals("-") ? null : args[5]), pid);
        } catch (RuntimeException e) {
            e.printStackTrace(System.out);
            System.out.flush();
            System.exit(4);
        }
        System.out.println("returned without reaching " + args[2]);
        System.out.flush();
        System.exit(3);
    }
}
