package io.chgate.gateway.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ClientReadingTest {

    @Test
    void aRequestWithNothingMoreToSendIsReadUntilTheBacklogIsFull() {
        for (BodyPhase phase : BodyPhase.values()) {
            assertThat(ClientReading.wanted(false, false, false, phase, false)).isTrue();
            assertThat(ClientReading.wanted(true, true, false, phase, false)).isTrue();
            assertThat(ClientReading.wanted(false, false, true, phase, true)).isFalse();
            assertThat(ClientReading.wanted(true, true, true, phase, true)).isFalse();
        }
    }

    @Test
    void aBodyIsReadForItsQueryHeldUnreadWhileDecidedAndStreamedAsFastAsUpstreamTakesIt() {
        assertThat(ClientReading.wanted(true, false, true, BodyPhase.QUERY, false)).isTrue();
        assertThat(ClientReading.wanted(true, false, false, BodyPhase.HOLD, true)).isFalse();
        assertThat(ClientReading.wanted(true, false, false, BodyPhase.STREAM, true)).isTrue();
        assertThat(ClientReading.wanted(true, false, false, BodyPhase.STREAM, false)).isFalse();
        assertThat(ClientReading.wanted(true, false, false, BodyPhase.DISCARD, false)).isTrue();
    }
}
