package dev.tablevault.tools;

import dev.tablevault.api.InstanceDescription;
import dev.tablevault.api.Vault;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** {@code tv instances TABLE}: materialized instance ids, oldest first, then temporary ones with --temp. */
@Command(name = "instances", description = {"List the instances of a table, oldest first.", "SUCCESS is no for an"
        + " instance kept from a stopped process ('tv stop --materialize': rows not reached are null); ACTIVE is no"
        + " for one a newer instance replaced."})
final class InstancesCommand extends VaultCommand {
    @Mixin
    TableParameter table;

    @Option(names = "--version", paramLabel = "V", description = "Only this version.")
    String version;

    @Option(names = "--temp", description = "Include temporary instances.")
    boolean temp;

    @Override
    void execute() {
        try (Vault v = openReadOnly()) {
            List<InstanceDescription> all = v.instances(table.name, version, temp).stream()
                    .map(id -> v.description(table.name, id)).toList();
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[] {"ID", "VERSION", "ROWS", "SUCCESS", "ACTIVE"});
            List<Map<String, Object>> json = new ArrayList<>();
            for (InstanceDescription d : all) {
                rows.add(new String[] {d.id(), d.version(), Long.toString(d.rows()),
                    d.temporary() ? "-" : yesNo(d.success()), d.temporary() ? "-" : yesNo(d.active())});
                json.add(Json.obj("id", d.id(), "version", d.version(), "rows", d.rows(), "temporary",
                        d.temporary(), "success", d.success(), "active", d.active()));
            }
            print(Json.obj("table", table.name, "instances", all.stream().map(InstanceDescription::id).toList(),
                    "details", json), all.isEmpty() ? "" : TextTable.render(rows));
        }
    }

    private static String yesNo(boolean b) {
        return b ? "yes" : "no";
    }
}
