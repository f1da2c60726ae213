package io.chgate.vault;

import io.chgate.sql.SqlText;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A Kafka integration's database: an Atomic database bearing chgate's mark, holding exactly the configured
 * Kafka-engine tables, each {@code ENGINE = Kafka(<collection>, <its settings>)}. The collection carries the broker
 * list and the SASL login, NOT OVERRIDABLE; a table only says what to read (topics, format, consumer options).
 *
 * <p>Each table's comment holds a digest of its definition, so a table whose definition changed is rebuilt (DROP,
 * CREATE) and an unchanged one is kept, across restarts too. A rotation of the credentials only detaches and attaches
 * the tables: ATTACH reads the collection again, and the table keeps its identity, so materialized views reading it
 * keep working and the consumer group resumes at its committed offsets.
 */
public final class KafkaTables {
    /** One column of a Kafka table. */
    public record Column(String name, String type) {
    }

    /**
     * One table: its columns, and its Kafka settings ({@code kafka_topic_list}, {@code kafka_format},
     * {@code kafka_group_name}, ...) as the values to write.
     */
    public record Table(String name, List<Column> columns, Map<String, String> settings) {
        public Table {
            columns = List.copyOf(columns);
            settings = Map.copyOf(settings);
        }
    }

    /**
     * @param brokers the broker list
     * @param securityProtocol PLAINTEXT or SASL_PLAINTEXT (or SASL_SSL, SSL)
     * @param saslMechanism PLAIN, SCRAM-SHA-256, SCRAM-SHA-512, or null without SASL
     * @param database the integration database holding the tables
     */
    public record Spec(String brokers, String securityProtocol, String saslMechanism, String database,
            List<Table> tables) {
        public Spec {
            tables = List.copyOf(tables);
        }
    }

    private static final String DEFINITION = "chgate definition ";

    private final AdminChannel admin;

    KafkaTables(AdminChannel admin) {
        this.admin = admin;
    }

    /**
     * Brings the integration's database to exactly its configured tables.
     *
     * @param rotated whether the collection's values changed since the tables last read them here
     */
    void apply(String integration, String collection, Spec spec, boolean rotated) {
        new IntegrationDatabases(admin).ensure(integration, spec.database(), "Atomic");
        String db = SqlText.quoteIdentifier(spec.database());
        Map<String, String> present = new java.util.HashMap<>();
        String rows = admin.execute("SELECT hex(name), hex(comment) FROM system.tables WHERE database = "
                + SqlText.quoteString(spec.database()));
        for (String row : rows.split("\n")) {
            if (!row.isEmpty()) {
                String[] cells = row.split("\t", -1);
                present.put(unhex(cells[0]), unhex(cells[1]));
            }
        }
        Set<String> wanted = new HashSet<>();
        for (Table table : spec.tables()) {
            wanted.add(table.name());
            String create = create(spec.database(), collection, table);
            String comment = DEFINITION + digest(create);
            String name = db + "." + SqlText.quoteIdentifier(table.name());
            String was = present.get(table.name());
            if (was == null) {
                admin.execute(create + " COMMENT " + SqlText.quoteString(comment));
            } else if (!was.equals(comment)) {
                admin.execute("DROP TABLE IF EXISTS " + name);
                admin.execute(create + " COMMENT " + SqlText.quoteString(comment));
            } else if (rotated) {
                admin.execute("DETACH TABLE " + name);
                admin.execute("ATTACH TABLE " + name);
            }
        }
        for (String table : present.keySet()) {
            if (!wanted.contains(table)) {
                admin.execute("DROP TABLE IF EXISTS " + db + "." + SqlText.quoteIdentifier(table));
            }
        }
    }

    static String create(String database, String collection, Table table) {
        StringBuilder sql = new StringBuilder("CREATE TABLE ").append(SqlText.quoteIdentifier(database)).append('.')
                .append(SqlText.quoteIdentifier(table.name())).append(" (");
        for (int i = 0; i < table.columns().size(); i++) {
            Column column = table.columns().get(i);
            sql.append(i == 0 ? "" : ", ").append(SqlText.quoteIdentifier(column.name())).append(' ')
                    .append(column.type());
        }
        sql.append(") ENGINE = Kafka(").append(SqlText.quoteIdentifier(collection));
        new java.util.TreeMap<>(table.settings()).forEach((key, value) -> sql.append(", ")
                .append(SqlText.quoteIdentifier(key)).append(" = ")
                .append(value.matches("[0-9]{1,18}") ? value : SqlText.quoteString(value)));
        return sql.append(')').toString();
    }

    private static String digest(String text) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String unhex(String hex) {
        return new String(HexFormat.of().parseHex(hex), StandardCharsets.UTF_8);
    }
}
