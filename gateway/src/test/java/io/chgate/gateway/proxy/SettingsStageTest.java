package io.chgate.gateway.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chgate.gateway.error.ClickHouseError;
import io.chgate.gateway.error.ErrorCode;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SettingsStageTest {

    @Test
    void aPinnedSettingInTheUrlIsRefusedWhateverItsCase() {
        HttpRequest head = get("/?query=SELECT%201&Input_Format_Values_Interpret_Expressions=1");
        ClickHouseError refused = SettingsStage.DEFAULT.checkHead(new RequestFacts(head), head.headers());
        assertThat(refused.code()).isEqualTo(ErrorCode.ACCESS_DENIED);
        assertThat(refused.getMessage()).contains("Input_Format_Values_Interpret_Expressions")
                .contains("fixed by the gateway");
    }

    @Test
    void ordinarySettingsAndHeadersPass() {
        HttpRequest head = get("/?query=SELECT%201&max_threads=2&database=default&default_format=JSON");
        head.headers().set("X-ClickHouse-Format", "CSV").set("X-ClickHouse-readonly", "0");
        assertThat(SettingsStage.DEFAULT.checkHead(new RequestFacts(head), head.headers())).isNull();
    }

    @Test
    void aPinnedFormFieldIsRefusedAsItsNameIsRead() {
        assertThatThrownBy(() -> SettingsStage.DEFAULT.checkFormField("input_format_values_interpret_expressions"))
                .isInstanceOfSatisfying(ClickHouseError.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.ACCESS_DENIED));
        SettingsStage.DEFAULT.checkFormField("max_threads");
    }

    @Test
    void aRuleSeesEveryParameterValueFormFieldAndClickHouseHeaderWithItsSource() {
        List<String> seen = new ArrayList<>();
        SettingsStage stage = new SettingsStage(new SettingsStage.Rule() {
            @Override
            public ClickHouseError refusal(SettingsStage.Source source, String name, String value) {
                seen.add(source + " " + name + "=" + value);
                return null;
            }

            @Override
            public boolean readsHeaders() {
                return true;
            }
        });
        HttpRequest head = get("/?max_threads=2&max_threads=3&query=SELECT%201");
        head.headers().set("X-ClickHouse-Format", "CSV").set("Accept", "*/*");
        assertThat(stage.checkHead(new RequestFacts(head), head.headers())).isNull();
        stage.checkFormField("external_structure");
        assertThat(seen).containsExactly("URL_PARAMETER max_threads=2", "URL_PARAMETER max_threads=3",
                "URL_PARAMETER query=SELECT 1", "HEADER Format=CSV", "FORM_FIELD external_structure=null");
    }

    @Test
    void theFirstRefusalIsTheAnswer() {
        SettingsStage stage = new SettingsStage((source, name, value) -> value.equals("9")
                ? new ClickHouseError(ErrorCode.ACCESS_DENIED, "no " + name) : null);
        HttpRequest head = get("/?a=1&b=9&c=9");
        assertThat(stage.checkHead(new RequestFacts(head), head.headers()).getMessage()).isEqualTo("no b");
    }

    static HttpRequest get(String uri) {
        return new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, uri);
    }
}
