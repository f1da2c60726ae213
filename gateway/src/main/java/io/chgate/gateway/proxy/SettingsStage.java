package io.chgate.gateway.proxy;

import io.chgate.gateway.error.ClickHouseError;
import io.chgate.gateway.error.ErrorCode;
import io.chgate.sql.StatementPolicy;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Checks every setting a request carries outside its SQL against one {@link Rule}: URL parameters and non-file
 * multipart form fields (ClickHouse takes both as settings) and {@code X-ClickHouse-*} headers. The rule in force
 * ({@link RegistrySettings}) takes every name through the settings registry's default deny; no header of ClickHouse's
 * HTTP interface carries a setting, so it reads none.
 *
 * <p>A rule sees every URL parameter, those ClickHouse does not take as settings too ({@code query},
 * {@code database}, and the client's {@code user} and {@code password}, which authentication already took out of the
 * forwarded head): it must never quote a value in its refusal.
 */
final class SettingsStage {

    /** Where a setting arrived. */
    enum Source { URL_PARAMETER, FORM_FIELD, HEADER }

    /** Decides on one setting. */
    interface Rule {
        /**
         * Why the setting may not be set this way, or null.
         *
         * @param name the parameter or field name; for a header, its name after {@code X-ClickHouse-}
         * @param value its value; null for a form field, whose value streams on after its name
         */
        ClickHouseError refusal(Source source, String name, String value);

        /** Whether {@code X-ClickHouse-*} headers are shown to the rule at all (walking them costs on every request). */
        default boolean readsHeaders() {
            return false;
        }
    }

    /** The names the gateway fixes may not be set by parameter or form field. */
    static final Rule PINNED = (source, name, value) -> source != Source.HEADER && StatementPolicy.isPinnedSetting(name)
            ? new ClickHouseError(ErrorCode.ACCESS_DENIED, "chgate: the setting " + name
                    + " is fixed by the gateway and may not be changed")
            : null;

    /** Every parameter and form field through the settings registry's default deny. */
    static final SettingsStage DEFAULT = new SettingsStage(new RegistrySettings(io.chgate.sql.SettingsPolicy.DEFAULT));

    private static final String HEADER_PREFIX = "X-ClickHouse-";

    private final Rule rule;

    SettingsStage(Rule rule) {
        this.rule = rule;
    }

    /** The first refusal among the head's URL parameters and {@code X-ClickHouse-*} headers, or null. */
    ClickHouseError checkHead(RequestFacts facts, HttpHeaders headers) {
        for (Map.Entry<String, List<String>> param : facts.params.entrySet()) {
            if (param.getKey().equals(HeadChecks.NO_CACHE)) {
                continue;   // chgate's own, never forwarded
            }
            for (String value : param.getValue()) {
                ClickHouseError refused = rule.refusal(Source.URL_PARAMETER, param.getKey(), value);
                if (refused != null) {
                    return refused;
                }
            }
        }
        if (rule.readsHeaders()) {
            for (Iterator<Map.Entry<CharSequence, CharSequence>> it = headers.iteratorCharSequence(); it.hasNext(); ) {
                Map.Entry<CharSequence, CharSequence> header = it.next();
                CharSequence name = header.getKey();
                if (name.length() > HEADER_PREFIX.length() && name.toString().regionMatches(true, 0, HEADER_PREFIX, 0,
                        HEADER_PREFIX.length())) {
                    ClickHouseError refused = rule.refusal(Source.HEADER,
                            name.subSequence(HEADER_PREFIX.length(), name.length()).toString(),
                            header.getValue().toString());
                    if (refused != null) {
                        return refused;
                    }
                }
            }
        }
        return null;
    }

    /**
     * Checks a form field as its name is read, before any of its bytes go on.
     *
     * @throws ClickHouseError when the field may not be set
     */
    void checkFormField(String name) {
        ClickHouseError refused = rule.refusal(Source.FORM_FIELD, name, null);
        if (refused != null) {
            throw refused;
        }
    }
}
