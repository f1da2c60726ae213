package io.chgate.gateway.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AdminKillTest {
    @Test
    void aClientsQueryIdCannotWidenTheKill() {
        assertThat(AdminKill.statement("abc", "bi_reader"))
                .isEqualTo("KILL QUERY WHERE query_id = 'abc' AND user = 'bi_reader'");
        assertThat(AdminKill.statement("x' OR 1 = 1 OR query_id = '\\", "bi"))
                .isEqualTo("KILL QUERY WHERE query_id = 'x\\' OR 1 = 1 OR query_id = \\'\\\\' AND user = 'bi'");
        assertThat(AdminKill.statement("abc", null)).isEqualTo("KILL QUERY WHERE query_id = 'abc'");
    }
}
