package io.chgate.gateway.ownership;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OwnershipPolicyTest {
    @TempDir
    Path dir;
    private OwnershipPolicy policy;

    @BeforeEach
    void open() {
        policy = new OwnershipPolicy(ObjectOwners.open(dir.resolve("owners.json")));
    }

    private void run(String user, String sql) {
        OwnershipPolicy.Decision d = policy.check(user, "default", sql);
        assertThat(d.refusal()).as(user + ": " + sql).isNull();
        d.applyOnSuccess();
    }

    private String refusal(String user, String sql) {
        OwnershipPolicy.Decision d = policy.check(user, "default", sql);
        assertThat(d.refusal()).as(user + ": " + sql).isNotNull();
        assertThat(d.refusal().code().number()).isEqualTo(497);
        return d.refusal().getMessage();
    }

    @Test
    void anotherUsersObjectIsNeitherUsedNorChanged() {
        run("alice", "CREATE VIEW alices_view AS SELECT 1");
        run("alice", "SELECT * FROM alices_view");
        run("alice", "SELECT * FROM default.alices_view");
        for (String sql : new String[] {
            "SELECT * FROM default.alices_view", "SELECT * FROM alices_view", "DROP TABLE alices_view",
            "DROP VIEW IF EXISTS alices_view", "RENAME TABLE alices_view TO mine", "EXCHANGE TABLES mine AND alices_view",
            "INSERT INTO alices_view VALUES (1)", "CREATE TABLE mine AS alices_view", "ALTER TABLE alices_view DELETE WHERE 1",
            "CREATE OR REPLACE VIEW alices_view AS SELECT 2", "TRUNCATE TABLE alices_view", "DETACH TABLE alices_view",
            "SELECT dictGet('alices_view', 'x', 1)", "SELECT * FROM t WHERE x IN alices_view",
            "CREATE VIEW v AS SELECT * FROM (SELECT * FROM alices_view)"}) {
            assertThat(refusal("bob", sql)).contains("belongs to another gateway user");
        }
    }

    @Test
    void aFailedCreateClaimsNothingAndDropAndRenameMoveOwnership() {
        policy.check("bob", "default", "CREATE TABLE t (x UInt8) ENGINE = Memory");   // never succeeded
        run("alice", "CREATE TABLE t (x UInt8) ENGINE = Memory");
        run("alice", "RENAME TABLE t TO u");
        run("bob", "CREATE TABLE t (x UInt8) ENGINE = Memory");
        refusal("alice", "SELECT * FROM t");
        refusal("bob", "SELECT * FROM u");
        run("alice", "DROP TABLE u");
        run("bob", "SELECT * FROM u");
    }

    @Test
    void aDatabaseAndEverythingInItBelongToItsCreator() {
        run("alice", "CREATE DATABASE alices");
        run("alice", "CREATE TABLE alices.t (x UInt8) ENGINE = Memory");
        refusal("bob", "SELECT * FROM alices.t");
        refusal("bob", "SHOW TABLES FROM alices");
        refusal("bob", "USE alices");
        refusal("bob", "DROP DATABASE alices");
        assertThat(policy.check("bob", "alices", "SELECT * FROM t").refusal()).isNotNull();
    }

    @Test
    void ownershipOutlivesTheProcess() {
        run("alice", "CREATE TABLE kept (x UInt8) ENGINE = Memory");
        assertThat(Files.exists(dir.resolve("owners.json"))).isTrue();
        policy = new OwnershipPolicy(ObjectOwners.open(dir.resolve("owners.json")));
        refusal("bob", "SELECT * FROM kept");
    }

    @Test
    void objectsMadeOutsideTheGatewayAreShared() {
        run("bob", "SELECT * FROM operators_table");
        run("alice", "INSERT INTO operators_table VALUES (1)");
    }

    @Test
    void systemTablesShowingOtherUsersAreRefused() {
        run("bob", "SELECT name FROM system.tables");
        run("bob", "SELECT * FROM system.one");
        assertThat(refusal("bob", "SELECT query FROM system.processes")).contains("other users");
        refusal("bob", "SELECT * FROM system.errors");
        refusal("bob", "SELECT * FROM system.query_log");
        assertThat(policy.check("bob", "system", "SELECT * FROM processes").refusal()).isNotNull();
        refusal("bob", "DROP TABLE system.one");
        refusal("bob", "CREATE FUNCTION f AS x -> x");
    }

    @Test
    void everyDatabaseTheRequestNamesIsCheckedAndUseIsToldOnlyOnSuccess() {
        run("alice", "CREATE TABLE t2 (x UInt8) ENGINE = Memory");
        assertThat(policy.check("bob", java.util.List.of("other", "default"), "SELECT * FROM t2", null).refusal())
                .isNotNull();
        java.util.List<String> entered = new java.util.ArrayList<>();
        OwnershipPolicy.Decision use = policy.check("bob", java.util.List.of("default"), "USE shared_db", entered::add);
        assertThat(use.refusal()).isNull();
        assertThat(entered).isEmpty();
        use.applyOnSuccess();
        assertThat(entered).containsExactly("shared_db");
    }
}
