package io.chgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.chgate.gateway.config.GatewayConfig;
import io.chgate.gateway.intercept.QueryInterceptor;
import io.chgate.gateway.cli.GatewayLauncher;
import io.chgate.gateway.proxy.GatewayServer;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** The official ClickHouse JDBC driver, with its default settings, against chgate on the embedded engine. */
class JdbcDriverTest {

    @Test
    void queriesAnInsertBatchAndAParameterisedQuery() throws Exception {
        io.chgate.testkit.LocalStack.get();
        GatewayConfig config = EmbeddedGateway.config(Map.of());
        try (GatewayServer server = GatewayLauncher.start(config, QueryInterceptor.IDENTITY);
                Connection c = DriverManager.getConnection("jdbc:clickhouse:http://127.0.0.1:"
                        + server.address().getPort() + "/default", new Properties())) {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                    "SELECT number, toString(number * 2) AS doubled FROM numbers(3)")) {
                StringBuilder rows = new StringBuilder();
                while (rs.next()) {
                    rows.append(rs.getLong(1)).append('=').append(rs.getString("doubled")).append(';');
                }
                assertThat(rows.toString()).isEqualTo("0=0;1=2;2=4;");
            }
            try (Statement s = c.createStatement()) {
                s.execute("DROP TABLE IF EXISTS jdbc_items");
                s.execute("CREATE TABLE jdbc_items (id UInt32, name String, price Float64) ENGINE = MergeTree ORDER BY id");
            }
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO jdbc_items VALUES (?, ?, ?)")) {
                for (int i = 1; i <= 100; i++) {
                    insert.setInt(1, i);
                    insert.setString(2, "item-" + i + " 'quoted' \\ ü");
                    insert.setDouble(3, i * 1.5);
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            try (PreparedStatement query = c.prepareStatement(
                    "SELECT count(), sum(price), any(name) FROM jdbc_items WHERE id > ? AND name LIKE ?")) {
                query.setInt(1, 90);
                query.setString(2, "item-9%");
                try (ResultSet rs = query.executeQuery()) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getLong(1)).isEqualTo(9);
                    assertThat(rs.getDouble(2)).isEqualTo(1282.5);
                    assertThat(rs.getString(3)).startsWith("item-9").endsWith(" 'quoted' \\ ü");
                }
            }
        }
    }

    /**
     * The DatabaseMetaData calls BI tools make to draw their schema browsers, through chgate's full policy (the
     * rewriting interceptor, not a pass-through): none of the driver's introspection queries is refused.
     */
    @Test
    void databaseMetaDataPassesThePolicy() throws Exception {
        io.chgate.testkit.LocalStack.get();
        GatewayConfig config = EmbeddedGateway.config(Map.of());
        try (GatewayServer server = GatewayLauncher.start(config,
                io.chgate.gateway.intercept.RewritingInterceptor.fromConfig(config, 1));
                Connection c = DriverManager.getConnection("jdbc:clickhouse:http://127.0.0.1:"
                        + server.address().getPort() + "/default", new Properties())) {
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE IF NOT EXISTS jdbc_meta (id UInt32, label Nullable(String)) ENGINE = MergeTree"
                        + " ORDER BY id");
            }
            java.sql.DatabaseMetaData meta = c.getMetaData();
            assertThat(meta.getDatabaseProductVersion()).isNotBlank();
            java.util.List<String> catalogsAndSchemas = new java.util.ArrayList<>();
            try (ResultSet rs = meta.getCatalogs()) {
                while (rs.next()) {
                    catalogsAndSchemas.add(rs.getString(1));
                }
            }
            try (ResultSet rs = meta.getSchemas()) {
                while (rs.next()) {
                    catalogsAndSchemas.add(rs.getString(1));
                }
            }
            assertThat(catalogsAndSchemas).contains("default");
            java.util.List<String> tables = new java.util.ArrayList<>();
            try (ResultSet rs = meta.getTables(null, null, "jdbc_meta%", null)) {
                while (rs.next()) {
                    tables.add(rs.getString("TABLE_NAME"));
                }
            }
            assertThat(tables).contains("jdbc_meta");
            java.util.List<String> columns = new java.util.ArrayList<>();
            try (ResultSet rs = meta.getColumns(null, null, "jdbc_meta", "%")) {
                while (rs.next()) {
                    columns.add(rs.getString("COLUMN_NAME") + ":" + rs.getInt("NULLABLE"));
                }
            }
            assertThat(columns).containsExactly("id:0", "label:1");
            try (ResultSet rs = meta.getTableTypes()) {
                assertThat(rs.next()).isTrue();
            }
        }
    }
}
