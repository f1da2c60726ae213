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
    void aPinnedSettingInTheUrlIsRefusedAndAnotherCaseOfItIsNoSettingAtAll() {
        HttpRequest head = get("/?query=SELECT%201&input_format_values_interpret_expressions=1");
        ClickHouseError refused = SettingsStage.DEFAULT.checkHead(new RequestFacts(head), head.headers());
        assertThat(refused.code()).isEqualTo(ErrorCode.ACCESS_DENIED);
        assertThat(refused.getMessage()).contains("input_format_values_interpret_expressions");
        // ClickHouse's setting names are case-sensitive: this one is unknown to it, and refused as such.
        head = get("/?query=SELECT%201&Input_Format_Values_Interpret_Expressions=1");
        assertThat(SettingsStage.DEFAULT.checkHead(new RequestFacts(head), head.headers()).code())
                .isEqualTo(ErrorCode.UNKNOWN_SETTING);
    }

    @Test
    void settingsThatCarrySqlOrPathsOrLiftLimitsOrAreUnknownAreRefusedAndTheirValuesNeverQuoted() {
        for (String query : new String[] {"additional_result_filter=x%20%3D%20(SELECT%201)",
                "additional_table_filters=%7B%27t%27%3A%27x%3D1%27%7D", "format_template_row=%2Fetc%2Fshadow",
                "format_schema=%2Fetc%2Fshadow", "max_memory_usage=0", "max_threads=256", "no_such_setting_ever=1"}) {
            HttpRequest head = get("/?query=SELECT%201&" + query);
            ClickHouseError refused = SettingsStage.DEFAULT.checkHead(new RequestFacts(head), head.headers());
            assertThat(refused).as(query).isNotNull();
            assertThat(refused.getMessage()).doesNotContain("shadow").doesNotContain("SELECT 1");
        }
    }

    @Test
    void ordinarySettingsAndHeadersPass() {
        HttpRequest head = get("/?query=SELECT%201&max_threads=2&database=default&default_format=JSON"
                + "&wait_end_of_query=1&send_progress_in_http_headers=1&param_x=1&max_result_rows=10");
        head.headers().set("X-ClickHouse-Format", "CSV").set("X-ClickHouse-readonly", "0");
        assertThat(SettingsStage.DEFAULT.checkHead(new RequestFacts(head), head.headers())).isNull();
    }

    @Test
    void aPinnedFormFieldIsRefusedAsItsNameIsReadAndAResourceLimitMustComeWhereItsValueIsRead() {
        assertThatThrownBy(() -> SettingsStage.DEFAULT.checkFormField("input_format_values_interpret_expressions"))
                .isInstanceOfSatisfying(ClickHouseError.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.ACCESS_DENIED));
        assertThatThrownBy(() -> SettingsStage.DEFAULT.checkFormField("max_threads"))
                .isInstanceOfSatisfying(ClickHouseError.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.SETTING_CONSTRAINT_VIOLATION));
        SettingsStage.DEFAULT.checkFormField("max_result_rows");
        SettingsStage.DEFAULT.checkFormField("query");
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
