package io.chgate.gateway.catalog;

import io.chgate.vault.AdminChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The tables and views the upstream has now, with the statement that made each, read from {@code system.tables}
 * through chgate's admin channel. Only databases that keep their objects themselves are read: listing a database of
 * a remote engine (PostgreSQL, MySQL, ...) would reach that remote server on every read.
 */
final class UpstreamObjects {
    /** One object; an empty {@code createQuery} is a table ClickHouse shows no definition for. */
    record Definition(String database, String name, String createQuery) {
        String qualified() {
            return database + "." + name;
        }
    }

    // Every column travels in hex: any byte comes back exactly, with no TSV escaping to undo; the columns exist
    // from ClickHouse 18.16 on.
    static final String QUERY = "SELECT hex(database), hex(name), hex(create_table_query) FROM system.tables"
            + " WHERE database NOT IN ('system', 'INFORMATION_SCHEMA', 'information_schema')"
            + " AND database IN (SELECT name FROM system.databases"
            + " WHERE engine IN ('Ordinary', 'Atomic', 'Replicated', 'Memory', 'Lazy'))";

    private UpstreamObjects() {
    }

    static List<Definition> read(AdminChannel admin) {
        List<Definition> out = new ArrayList<>();
        for (String line : admin.execute(QUERY).split("\n")) {
            if (line.isEmpty()) {
                continue;
            }
            String[] columns = line.split("\t", -1);
            if (columns.length != 3) {
                throw new IllegalStateException("system.tables answered " + columns.length + " columns, not 3");
            }
            out.add(new Definition(unhex(columns[0]), unhex(columns[1]), unhex(columns[2])));
        }
        return out;
    }

    private static String unhex(String hex) {
        return new String(HexFormat.of().parseHex(hex), StandardCharsets.UTF_8);
    }
}
