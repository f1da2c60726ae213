package io.chgate.gateway.integration;

import static org.assertj.core.api.Assertions.assertThat;

import io.chgate.gateway.config.ConfigLoader;
import io.chgate.gateway.config.ConfigProblem;
import io.chgate.gateway.config.GatewayConfig;
import io.chgate.gateway.intercept.RewritingInterceptor;
import io.chgate.sql.Reference;
import io.chgate.sql.Resolution;
import io.chgate.sql.SqlRewriter;
import io.chgate.testkit.LocalStack;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The seed's limitation table, enforced at config load and at query time, and the README's copy of it. */
class IntegrationLimitsTest {

    static List<Arguments> matrix() {
        List<Arguments> cases = new ArrayList<>();
        List<Set<IntegrationLimits.Mode>> modeSets = List.of(EnumSet.of(IntegrationLimits.Mode.MANAGED_CREDENTIALS),
                EnumSet.of(IntegrationLimits.Mode.MANAGED_DATABASE), EnumSet.allOf(IntegrationLimits.Mode.class));
        for (IntegrationLimits.Rule rule : IntegrationLimits.TABLE) {
            for (Set<IntegrationLimits.Mode> modes : modeSets) {
                cases.add(Arguments.of(rule.kind(), rule.location(), modes, rule.modes().containsAll(modes)));
            }
        }
        return cases;
    }

    @ParameterizedTest(name = "{0} {1} {2} allowed={3}")
    @MethodSource("matrix")
    void everyCombinationIsAcceptedOrRefusedAtLoadAsTheSeedSays(IntegrationLimits.Kind kind,
            IntegrationLimits.Location location, Set<IntegrationLimits.Mode> modes, boolean allowed) {
        GatewayConfig.Integration i = new GatewayConfig.Integration();
        i.name = "probe";
        i.source = IntegrationLimits.name(kind);
        i.address = "host.example:1";
        i.database = "db";
        i.location = IntegrationLimits.name(location);
        i.modes = modes.stream().map(IntegrationLimits::name).toList();
        ConfigLoader.Loaded loaded = new ConfigLoader(Map.of()).load();
        loaded.config().integrations.add(i);
        List<ConfigProblem> problems = io.chgate.gateway.config.ConfigLoader.validate(loaded.config());
        if (allowed) {
            assertThat(problems).isEmpty();
        } else {
            assertThat(problems).singleElement().satisfies(p -> {
                assertThat(p.path()).isEqualTo("integrations[0].modes");
                assertThat(p.message()).startsWith("integration 'probe': ")
                        .contains(IntegrationLimits.rule(kind, location).why());
            });
        }
    }

    @Test
    void theReadmeShowsTheTableInCode() throws Exception {
        String readme = Files.readString(LocalStack.repoRoot().resolve("README.md"));
        assertThat(readme).contains(IntegrationLimits.markdownTable());
    }

    static Resolution resolve(GatewayConfig config, String sql) {
        List<Reference> refs = SqlRewriter.analyze(sql);
        assertThat(refs).hasSize(1);
        return RewritingInterceptor.resolver(config).resolve(refs.get(0));
    }

    @Test
    void queriesCannotBuildWhatTheTableForbids() {
        GatewayConfig config = new ConfigLoader(Map.of()).load().config();
        GatewayConfig.Integration mysql = new GatewayConfig.Integration();
        mysql.name = "crm_mysql";
        mysql.source = "mysql";
        mysql.address = "mysql.prod:3306";
        mysql.database = "crm";
        config.integrations.add(mysql);
        GatewayConfig.Integration kafka = new GatewayConfig.Integration();
        kafka.name = "events";
        kafka.source = "kafka";
        kafka.address = "kafka.prod:9092";
        kafka.modes = List.of("managed_database");
        kafka.managedDatabase = "events_db";
        config.integrations.add(kafka);
        assertThat(io.chgate.gateway.config.ConfigLoader.validate(config)).isEmpty();

        Resolution database = resolve(config, "CREATE DATABASE mine ENGINE = MySQL('mysql.prod:3306', 'crm', 'u', 'p')");
        assertThat(database).isInstanceOf(Resolution.Refuse.class);
        assertThat(((Resolution.Refuse) database).reason()).contains("external MySQL supports managed credentials only")
                .contains("mysql(crm_mysql, table = '...')");
        assertThat(resolve(config, "SELECT * FROM mysql('mysql.prod:3306', 'crm', 'orders', 'u', 'p')"))
                .isInstanceOf(Resolution.UseNamedCollection.class);
        Resolution internal = resolve(config, "CREATE TABLE k (s String) ENGINE = Kafka(events) SETTINGS"
                + " kafka_topic_list = 't', kafka_format = 'JSONEachRow'");
        assertThat(internal).isInstanceOf(Resolution.Refuse.class);
        assertThat(((Resolution.Refuse) internal).reason()).contains("internal to chgate")
                .contains("managed credentials are for external PostgreSQL and MySQL only").contains("events_db");
    }
}
