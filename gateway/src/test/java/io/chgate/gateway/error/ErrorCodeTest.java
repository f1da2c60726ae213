package io.chgate.gateway.error;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ErrorCodeTest {
    @Test
    void everyCodesStatusIsTheOneClickHouseAnswersWith() {
        for (ErrorCode code : ErrorCode.values()) {
            assertThat(code.httpStatus()).as(code.name()).isEqualTo(HttpStatusForCode.of(code.number()));
            assertThat(ErrorCode.ofNumber(code.number())).isEqualTo(code);
        }
    }
}
