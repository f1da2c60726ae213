package io.chgate.gateway.proxy;

import io.chgate.gateway.error.ClickHouseError;
import io.chgate.gateway.error.ErrorCode;
import io.chgate.sql.SettingClass;
import io.chgate.sql.SettingRefusal;
import io.chgate.sql.SettingsPolicy;
import io.chgate.sql.SettingsRegistry;

/**
 * The settings rule of the request path: every URL parameter and form field goes through the settings registry's
 * default deny ({@link SettingsPolicy}) — the same check the SQL's {@code SET} and {@code SETTINGS} meet. A capped
 * setting (a resource limit) is refused as a form field: its value streams on after the name is checked, so it
 * must come as a URL parameter or in the SQL, where its value is read.
 */
final class RegistrySettings implements SettingsStage.Rule {
    private final SettingsPolicy policy;

    RegistrySettings(SettingsPolicy policy) {
        this.policy = policy;
    }

    @Override
    public ClickHouseError refusal(SettingsStage.Source source, String name, String value) {
        SettingRefusal refused;
        if (source == SettingsStage.Source.FORM_FIELD) {
            refused = policy.checkName(name);
            if (refused == null && SettingsRegistry.querySetting(name) == SettingClass.CAPPED) {
                return new ClickHouseError(ErrorCode.SETTING_CONSTRAINT_VIOLATION, "chgate: the setting " + name
                        + " is a resource limit: give it as a URL parameter or in the SQL, not as a form field");
            }
        } else {
            refused = policy.check(name, value);
        }
        return refused == null ? null : new ClickHouseError(ErrorCode.ofNumber(refused.code()), refused.reason());
    }
}
