package io.chgate.gateway.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chgate.gateway.error.ClickHouseError;
import io.chgate.gateway.http.RawQueryString;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EngineRequestTest {
    private static EngineRequest of(String uri, HttpHeaders headers) {
        return EngineRequest.of(RawQueryString.parse(uri), headers);
    }

    @Test
    void settingsParametersAndScopeFromTheUrlAsTheServerReadsThem() {
        EngineRequest r = of("/?query=SELECT+1&max_threads=2&max_threads=3&param_id=7&database=shop"
                + "&default_format=JSON&query_id=q1&compress=1&user=u&password=p", new DefaultHttpHeaders());
        assertThat(r.settings()).isEqualTo(Map.of("max_threads", "3"));
        assertThat(r.queryParameters()).isEqualTo(Map.of("id", "7"));
        assertThat(r.database()).isEqualTo("shop");
        assertThat(r.format()).isEqualTo("JSON");
        assertThat(r.queryId()).isEqualTo("q1");
        assertThat(r.urlQuery()).isEqualTo("SELECT 1");
        assertThat(r.compress()).isTrue();
        assertThat(r.decompress()).isFalse();
        assertThat(r.session()).isNull();
    }

    @Test
    void headersStandInForMissingParameters() {
        HttpHeaders headers = new DefaultHttpHeaders().set("X-ClickHouse-Format", "CSV")
                .set("X-ClickHouse-Database", "db").set("X-ClickHouse-Query-Id", "h1");
        EngineRequest r = of("/", headers);
        assertThat(r.format()).isEqualTo("CSV");
        assertThat(r.database()).isEqualTo("db");
        assertThat(r.queryId()).isEqualTo("h1");
        assertThat(of("/?default_format=TSV", headers).format()).isEqualTo("TSV");
        assertThat(of("/", new DefaultHttpHeaders()).format()).isEqualTo("TabSeparated");
    }

    @Test
    void sessionsAreKeyedByUserAndTheirTimeoutChecked() {
        HttpHeaders alice = new DefaultHttpHeaders().set("X-ClickHouse-User", "alice");
        SessionRequest s = of("/?session_id=s1&session_timeout=30&session_check=1&close_session=1", alice).session();
        assertThat(s).isEqualTo(new SessionRequest("alice", "s1", true, true, Duration.ofSeconds(30)));
        assertThat(of("/?session_id=s1", new DefaultHttpHeaders()).session().user()).isEqualTo("default");
        assertThatThrownBy(() -> of("/?session_id=s1&session_timeout=x", alice))
                .isInstanceOfSatisfying(ClickHouseError.class, e -> assertThat(e.body())
                        .isEqualTo("Code: 72. DB::Exception: Cannot parse session_timeout. (CANNOT_PARSE_NUMBER)\n"));
        assertThatThrownBy(() -> of("/?session_id=s1&session_timeout=-1", alice))
                .isInstanceOfSatisfying(ClickHouseError.class, e -> assertThat(e.code().number()).isEqualTo(374));
    }
}
