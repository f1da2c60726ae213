package io.chgate.sql;

/**
 * Why a setting may not be set, with the ClickHouse error code ClickHouse itself would answer with. The reason names
 * the setting, never its value.
 */
public record SettingRefusal(String reason, int code) {
    public static final int UNKNOWN_SETTING = 115;
    public static final int READONLY = 164;
    public static final int SETTING_CONSTRAINT_VIOLATION = 452;
    public static final int ACCESS_DENIED = 497;

    /** ClickHouse's name for the code, as it ends its messages: {@code (UNKNOWN_SETTING)}. */
    public String codeName() {
        return switch (code) {
            case UNKNOWN_SETTING -> "UNKNOWN_SETTING";
            case READONLY -> "READONLY";
            case SETTING_CONSTRAINT_VIOLATION -> "SETTING_CONSTRAINT_VIOLATION";
            default -> "ACCESS_DENIED";
        };
    }
}
