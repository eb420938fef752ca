package dev.tablevault.engine;

import dev.tablevault.api.Vault;
import dev.tablevault.api.VaultOptions;
import dev.tablevault.engine.process.CrashPoints;

/**
 * Child-JVM main for {@link ChildJvmCrashTest}: opens the prepared vault, arms a crash point to halt the JVM
 * as {@code kill -9} would, and runs one scenario's operation. Arguments: the vault's location and folder
 * ({@link TestVault#of}), scenario name, crash point, process id ({@code -} for a generated one), the fixture's
 * base instance id and its executed instance id ({@code -} for none). On a shared vault its lease is short
 * ({@link TestVault#SHORT_LEASE}). Exits 137 at the halt; 3 if the operation returned without reaching the point; 4 if
 * it threw.
 */
final class CrashChild {
    private CrashChild() {
    }

    public static void main(String[] args) {
        Scenarios.Scenario s = Scenarios.all().stream().filter(x -> x.name().equals(args[2])).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no scenario " + args[2]));
        String pid = args[4].equals("-") ? null : args[4];
        try (Vault v = TestVault.of(args[0], args[1]).open(VaultOptions.defaults().author("child")
                .leaseTtl(TestVault.SHORT_LEASE))) {
            CrashPoints.arm(args[3], CrashPoints.Action.HALT);
            s.call().run(v, new Scenarios.Fixture(args[5], args[6].equals("-") ? null : args[6]), pid);
        } catch (RuntimeException e) {
            e.printStackTrace(System.out);
            System.out.flush();
            System.exit(4);
        }
        System.out.println("returned without reaching " + args[3]);
        System.out.flush();
        System.exit(3);
    }
}
