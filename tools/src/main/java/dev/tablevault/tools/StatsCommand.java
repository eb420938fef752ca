package dev.tablevault.tools;

import dev.tablevault.api.Vault;
import dev.tablevault.api.VaultStats;
import picocli.CommandLine.Command;

import java.util.Map;
import java.util.stream.Collectors;

/** {@code tv stats}: where the vault is stored, its counts and sizes, and the durability it is opened with. */
@Command(name = "stats", description = "Show the vault's counts and sizes, and its durability mode.")
final class StatsCommand extends VaultCommand {
    @Override
    void execute() {
        VaultStats s;
        try (Vault v = openReadOnly()) {
            s = v.stats();
        }
        Map<String, Object> o = Json.obj("backend", s.backend(), "location", s.location(),
                "durability", s.durability(), "formatVersion", s.formatVersion(),
                "tables", s.tables(), "instances", s.instances(), "temporaryInstances", s.temporaryInstances(),
                "activeProcesses", s.activeProcesses(), "finishedProcesses", s.finishedProcesses(),
                "locks", s.locks(), "databaseBytes", s.databaseBytes(), "walBytes", s.walBytes(),
                "artifactBytes", s.artifactBytes(), "trimmedProcesses", s.trimmedProcesses(),
                "trimmedBefore", s.trimmedBefore(), "retention", s.retention());
        print(o, o.entrySet().stream().map(e -> e.getKey() + ": " + e.getValue()).collect(Collectors.joining("\n")));
    }
}
