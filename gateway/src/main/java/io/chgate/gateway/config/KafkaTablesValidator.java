package io.chgate.gateway.config;

import io.chgate.sql.Lexer;
import io.chgate.sql.SqlParseException;
import io.chgate.sql.TokenType;
import io.chgate.sql.Tokens;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A Kafka integration's connection and tables, checked against the managed service's limits (its
 * {@code clickhouse_kafka} schema) and what the engine behind chgate can do.
 */
final class KafkaTablesValidator {
    private static final Set<String> PROTOCOLS = Set.of("PLAINTEXT", "SASL_PLAINTEXT", "SASL_SSL", "SSL");
    private static final Set<String> MECHANISMS = Set.of("PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512");
    private static final Set<String> FORMATS = Set.of("Avro", "AvroConfluent", "CSV", "JSONAsString",
            "JSONCompactEachRow", "JSONCompactStringsEachRow", "JSONEachRow", "JSONStringsEachRow", "MsgPack",
            "Parquet", "RawBLOB", "TSKV", "TSV", "TabSeparated");
    private static final Set<String> ERROR_MODES = Set.of("default", "stream", "dead_letter_queue");
    private static final Set<String> LATEST = Set.of("latest", "largest", "end");
    private static final Pattern TOPIC = Pattern.compile("(?!\\.$|\\.\\.$)[-_.A-Za-z0-9]{1,249}");

    private KafkaTablesValidator() {
    }

    static void validate(GatewayConfig c, GatewayConfig.Integration integration, String at,
            Set<String> databaseNames, List<ConfigProblem> problems) {
        if (!"kafka".equals(integration.source)) {
            if (!integration.tables.isEmpty()) {
                problems.add(new ConfigProblem("", at + ".tables", "integration '" + integration.name
                        + "': tables are a Kafka integration's"));
            }
            return;
        }
        if ("inline".equals(c.managedCredentials)) {
            problems.add(new ConfigProblem("", at, "integration '" + integration.name + "': a Kafka integration's"
                    + " database needs named collections (managed_credentials: named_collections)"));
        }
        String protocol = integration.securityProtocolInEffect();
        if (!PROTOCOLS.contains(protocol)) {
            problems.add(new ConfigProblem("", at + ".security_protocol", "must be one of " + new java.util.TreeSet<>(
                    PROTOCOLS)));
            return;
        }
        String mechanism = integration.saslMechanismInEffect();
        if (mechanism != null && !MECHANISMS.contains(mechanism)) {
            problems.add(new ConfigProblem("", at + ".sasl_mechanism", "must be PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512"));
        }
        if (mechanism != null && integration.credentials == null) {
            problems.add(new ConfigProblem("", at + ".credentials", "integration '" + integration.name + "': "
                    + protocol + " needs the SASL login from Vault: give credentials"));
        } else if (mechanism == null && integration.credentials != null) {
            problems.add(new ConfigProblem("", at + ".security_protocol", "integration '" + integration.name
                    + "': credentials are given but " + protocol + " sends none; use SASL_PLAINTEXT or SASL_SSL"));
        }
        if ("embedded".equals(c.upstream.url) && (protocol.endsWith("SSL") || mechanism != null
                && !mechanism.equals("PLAIN"))) {
            problems.add(new ConfigProblem("", at + ".security_protocol", "integration '" + integration.name
                    + "': the embedded ClickHouse engine's librdkafka is built with SASL PLAIN only (no SCRAM, no"
                    + " SSL); use PLAINTEXT or SASL_PLAINTEXT with PLAIN, or a ClickHouse server upstream"));
        }
        if (integration.managedDatabase != null || integration.modesInEffect().contains("managed_database")) {
            String database = integration.kafkaDatabase();
            if (database != null && !databaseNames.add(database)) {
                problems.add(new ConfigProblem("", at + ".managed_database", "duplicate managed database '"
                        + database + "'"));
            }
        }
        if (integration.tables.size() > 400) {
            problems.add(new ConfigProblem("", at + ".tables", "at most 400 tables"));
        }
        Set<String> names = new HashSet<>();
        for (int t = 0; t < integration.tables.size(); t++) {
            table(integration.tables.get(t), at + ".tables[" + t + "]", names, problems);
        }
    }

    private static void table(GatewayConfig.KafkaTable table, String at, Set<String> names,
            List<ConfigProblem> problems) {
        if (table == null) {
            problems.add(new ConfigProblem("", at, "an empty table"));
            return;
        }
        if (table.name == null || table.name.isEmpty() || table.name.length() > 40) {
            problems.add(new ConfigProblem("", at + ".name", "must be 1 to 40 characters"));
        } else if (!names.add(table.name)) {
            problems.add(new ConfigProblem("", at + ".name", "duplicate table '" + table.name + "'"));
        }
        if (table.columns.isEmpty() || table.columns.size() > 100) {
            problems.add(new ConfigProblem("", at + ".columns", "needs 1 to 100 columns, each {name, type}"));
        }
        for (int i = 0; i < table.columns.size(); i++) {
            GatewayConfig.Column column = table.columns.get(i);
            String where = at + ".columns[" + i + "]";
            if (column == null || column.name == null || column.name.isEmpty() || column.name.length() > 40) {
                problems.add(new ConfigProblem("", where + ".name", "must be 1 to 40 characters"));
            }
            String why = column == null ? "is missing" : typeProblem(column.type);
            if (why != null) {
                problems.add(new ConfigProblem("", where + ".type", why));
            }
        }
        if (table.topics.isEmpty() || table.topics.size() > 100) {
            problems.add(new ConfigProblem("", at + ".topics", "needs 1 to 100 topics"));
        }
        for (int i = 0; i < table.topics.size(); i++) {
            GatewayConfig.Topic topic = table.topics.get(i);
            if (topic == null || topic.name == null || !TOPIC.matcher(topic.name).matches()) {
                problems.add(new ConfigProblem("", at + ".topics[" + i + "]", "a topic name is 1 to 249 of"
                        + " A-Z a-z 0-9 . _ - (and not . or ..)"));
            }
        }
        if (!FORMATS.contains(table.dataFormat)) {
            problems.add(new ConfigProblem("", at + ".data_format", "must be one of " + new java.util.TreeSet<>(
                    FORMATS)));
        }
        if (table.groupName == null || table.groupName.isEmpty() || table.groupName.length() > 249) {
            problems.add(new ConfigProblem("", at + ".group_name", "must be 1 to 249 characters"));
        }
        if (table.numConsumers < 1 || table.numConsumers > 10) {
            problems.add(new ConfigProblem("", at + ".num_consumers", "must be 1 to 10"));
        }
        if (!ERROR_MODES.contains(table.handleErrorMode)) {
            problems.add(new ConfigProblem("", at + ".handle_error_mode", "must be default, stream or"
                    + " dead_letter_queue"));
        }
        for (long value : new long[] {table.maxBlockSize, table.pollMaxBatchSize, table.skipBrokenMessages}) {
            if (value < 0 || value > 1_000_000_000) {
                problems.add(new ConfigProblem("", at, "max_block_size, poll_max_batch_size and"
                        + " skip_broken_messages are 0 to 1000000000"));
                break;
            }
        }
        if (table.maxRowsPerMessage < 1 || table.maxRowsPerMessage > 1_000_000_000) {
            problems.add(new ConfigProblem("", at + ".max_rows_per_message", "must be 1 to 1000000000"));
        }
        if (table.pollMaxTimeoutMs < 0 || table.pollMaxTimeoutMs > 30_000) {
            problems.add(new ConfigProblem("", at + ".poll_max_timeout_ms", "must be 0 to 30000"));
        }
        if (table.autoOffsetReset != null && !LATEST.contains(table.autoOffsetReset)) {
            problems.add(new ConfigProblem("", at + ".auto_offset_reset", "ClickHouse takes auto_offset_reset only"
                    + " from the server's <kafka> configuration, not from SQL: a new consumer group starts at the"
                    + " latest offset; remove the key, or set it in the server's config"));
        }
    }

    /**
     * A column type goes into chgate's DDL as written, so it must be one type: it lexes as ClickHouse would, its
     * brackets balance, and nothing (a ';', a comment, a closing bracket too many) could end the column early.
     */
    static String typeProblem(String type) {
        if (type == null || type.isBlank() || type.length() > 1000) {
            return "must be a ClickHouse type of 1 to 1000 characters";
        }
        Tokens tokens;
        try {
            tokens = Lexer.tokenize(type);
        } catch (SqlParseException e) {
            return "is not a ClickHouse type: " + e.getMessage();
        }
        if (type.contains("--") || type.contains("/*") || type.contains("#")) {
            return "is not one ClickHouse type (a comment)";
        }
        if (tokens.type(0) != TokenType.WORD) {
            return "is not one ClickHouse type";
        }
        int depth = 0;
        for (int i = 1; i < tokens.size(); i++) {
            TokenType kind = tokens.type(i);
            if (kind == TokenType.SEMICOLON || depth == 0 && (kind != TokenType.LPAREN || i != 1)) {
                return "is not one ClickHouse type (text after " + type.substring(0, tokens.end(i - 1)) + ")";
            }
            if (kind == TokenType.LPAREN) {
                depth++;
            } else if (kind == TokenType.RPAREN) {
                depth--;
            }
        }
        return depth == 0 ? null : "is not one ClickHouse type (unbalanced brackets)";
    }
}
