package dev.tablevault.tools;

import dev.tablevault.api.ErrorCode;
import dev.tablevault.api.TvArgumentException;
import dev.tablevault.engine.store.pg.PgHosts;
import picocli.CommandLine.Command;

import java.util.ArrayList;
import java.util.List;

/** {@code tv hosts}: the hosts registered on a shared vault, with their leases by the database clock. */
@Command(name = "hosts", description = "List the hosts of a shared (PostgreSQL) vault and their leases.")
final class HostsCommand extends VaultCommand {
    @Override
    void execute() {
        if (!sharedVault()) {
            throw new TvArgumentException(ErrorCode.BAD_ARGUMENT, "tv hosts lists the hosts of a vault shared by"
                    + " hosts; --vault names a directory, which one OS process owns at a time (tv stats shows it)");
        }
        List<PgHosts.Host> hosts = PgHosts.list(vaultLocation());
        List<String[]> t = new ArrayList<>();
        t.add(new String[] {"HOST", "OS PID", "EPOCH", "STATE", "LEASE UNTIL", "SECONDS LEFT"});
        for (PgHosts.Host h : hosts) {
            t.add(new String[] {h.hostId(), Long.toString(h.osPid()), Long.toString(h.epoch()), h.state(),
                h.leaseUntil().toString(), Double.toString(h.secondsLeft())});
        }
        print(Json.obj("hosts", hosts), hosts.isEmpty() ? "no hosts registered" : TextTable.render(t));
    }
}
