package io.chgate.sql;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Default deny for settings: the one check for every way a setting arrives — {@code SETTINGS} and {@code SET} in
 * SQL, URL parameters, form fields, {@code X-ClickHouse-*} headers. A setting passes only when the registry
 * classifies it {@link SettingClass#PASS}, or {@link SettingClass#CAPPED} with a plain number within its cap.
 *
 * <p>Caps are the caller's (per gateway user, say); a capped setting without one uses {@link #DEFAULT_CAPS}.
 */
public final class SettingsPolicy {
    private static final long GIB = 1L << 30;

    /** The caps of the resource limits a client may lower but not raise, unless the caller gives others. */
    public static final Map<String, Long> DEFAULT_CAPS = defaultCaps();

    /** The policy with the default caps. */
    public static final SettingsPolicy DEFAULT = new SettingsPolicy(Map.of());

    private final Map<String, Long> caps;

    private SettingsPolicy(Map<String, Long> caps) {
        Map<String, Long> merged = new HashMap<>(DEFAULT_CAPS);
        merged.putAll(caps);
        this.caps = Map.copyOf(merged);
    }

    /** A policy whose caps are these (setting name to the highest value a client may set), the defaults elsewhere. */
    public static SettingsPolicy withCaps(Map<String, Long> caps) {
        return new SettingsPolicy(caps);
    }

    /** The highest value a client may give this capped setting. */
    public long cap(String name) {
        Long cap = caps.get(name);
        return cap == null ? Long.MAX_VALUE : cap;
    }

    /**
     * Whether a request parameter (a URL parameter, a form field that is not a file, an {@code X-ClickHouse-*}
     * header turned into a setting) may pass: null when it may, else why not, with ClickHouse's error code. HTTP
     * parameters that are not settings ({@code query}, {@code database}, {@code param_*}, an external table's
     * {@code <name>_structure}, ...) pass: they are the gateway's to read.
     */
    public SettingRefusal check(String name, String value) {
        if (name == null) {
            return unknown("");
        }
        SettingClass kind = SettingsRegistry.querySetting(name);
        if (kind == null && (name.startsWith("param_") || isExternalTableParameter(name))) {
            return null;
        }
        if (kind == SettingClass.HTTP) {
            return null;
        }
        return judge(name, kind, value == null ? SettingAssignment.Kind.SHORTHAND : SettingAssignment.Kind.LITERAL,
                value == null ? "true" : value);
    }

    /**
     * Whether a parameter of this name may pass whatever its value, before the value is known (a form field's name
     * arrives before its content): null when it may, or when its value decides (a capped setting: then ask
     * {@link #check(String, String)} with the value); else why not.
     */
    public SettingRefusal checkName(String name) {
        SettingClass kind = name == null ? null : SettingsRegistry.querySetting(name);
        return kind == SettingClass.CAPPED ? null : check(name, null);
    }

    /** The first assignment of the statement {@code [from, to)} that may not pass, or null when all may. */
    public SettingRefusal statementRefusal(String sql, Tokens t, int from, int to) {
        List<SettingAssignment> assignments = SettingAssignments.of(sql, t, from, to);
        for (SettingAssignment a : assignments) {
            SettingRefusal refusal = check(a);
            if (refusal != null) {
                return refusal;
            }
        }
        return null;
    }

    /** The first assignment in a whole script (statements split at semicolons) that may not pass, or null. */
    public SettingRefusal refusalIn(String sql) {
        Tokens t = Lexer.tokenize(sql);
        int start = 0;
        for (int i = 0; i <= t.size(); i++) {
            if (i == t.size() || t.type(i) == TokenType.SEMICOLON) {
                SettingRefusal refusal = statementRefusal(sql, t, start, i);
                if (refusal != null) {
                    return refusal;
                }
                start = i + 1;
            }
        }
        return null;
    }

    /** Whether an assignment read from SQL may pass: null when it may. */
    public SettingRefusal check(SettingAssignment a) {
        if (a.kind() == SettingAssignment.Kind.UNREADABLE) {
            return new SettingRefusal("chgate: cannot read the value of "
                    + (a.name().isEmpty() ? "a setting" : describe(a.name()))
                    + "; the value of a setting must be a literal", SettingRefusal.ACCESS_DENIED);
        }
        if (a.name().startsWith("param_") && SettingsRegistry.querySetting(a.name()) == null && !a.table()) {
            return null;   // SET param_x = ...: a query parameter, not a setting
        }
        SettingClass kind = SettingsRegistry.querySetting(a.name());
        if (kind == SettingClass.HTTP) {
            kind = null;
        }
        if (a.table()) {
            kind = stricter(kind, SettingsRegistry.tableSetting(a.name()));
        }
        if (a.kind() == SettingAssignment.Kind.FUNCTION && kind == SettingClass.PASS) {
            return new SettingRefusal("chgate: the value of " + describe(a.name()) + " must be a literal",
                    SettingRefusal.ACCESS_DENIED);
        }
        return judge(a.name(), kind, a.kind(), a.value());
    }

    private SettingRefusal judge(String name, SettingClass kind, SettingAssignment.Kind valueKind, String value) {
        if (kind == null || kind == SettingClass.HTTP) {
            return unknown(name);
        }
        return switch (kind) {
            case PASS -> null;
            case CAPPED -> capped(name, valueKind, value);
            case PINNED -> new SettingRefusal("chgate: the setting " + describe(name)
                    + " is fixed by the gateway and may not be changed", SettingRefusal.ACCESS_DENIED);
            case SQL -> new SettingRefusal("chgate: the setting " + describe(name)
                    + " holds SQL, which the gateway does not run from settings", SettingRefusal.ACCESS_DENIED);
            case PATH -> new SettingRefusal("chgate: the setting " + describe(name)
                    + " names a file, a directory or a URL, which the gateway does not allow", SettingRefusal.ACCESS_DENIED);
            default -> new SettingRefusal("chgate: the setting " + describe(name)
                    + " is not allowed through the gateway", SettingRefusal.ACCESS_DENIED);
        };
    }

    /** A capped setting takes a plain whole number from 1 up to its cap. */
    private SettingRefusal capped(String name, SettingAssignment.Kind valueKind, String value) {
        long cap = cap(name);
        long n = valueKind == SettingAssignment.Kind.LITERAL ? plainNumber(value) : -1;
        if (n >= 1 && n <= cap) {
            return null;
        }
        return new SettingRefusal("chgate: the setting " + describe(name) + " takes a whole number from 1 to "
                + cap + " through the gateway (0, unlimited, is not allowed)",
                SettingRefusal.SETTING_CONSTRAINT_VIOLATION);
    }

    /** The value of a string of decimal digits, or -1 for anything else (signs, suffixes, exponents, overflow). */
    static long plainNumber(String value) {
        String v = value.strip();
        if (v.isEmpty() || v.length() > 18) {
            return -1;
        }
        for (int i = 0; i < v.length(); i++) {
            if (v.charAt(i) < '0' || v.charAt(i) > '9') {
                return -1;
            }
        }
        return Long.parseLong(v);
    }

    private static SettingRefusal unknown(String name) {
        return new SettingRefusal("chgate: unknown setting " + describe(name)
                + "; settings the gateway does not know are refused", SettingRefusal.UNKNOWN_SETTING);
    }

    /** {@code <name>_structure}, {@code <name>_types}, {@code <name>_format}: an external table's description. */
    static boolean isExternalTableParameter(String name) {
        return name.endsWith("_structure") || name.endsWith("_types") || name.endsWith("_format");
    }

    private static SettingClass stricter(SettingClass a, SettingClass b) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        return a.ordinal() >= b.ordinal() ? a : b;
    }

    /** The name as safe to show: a plain name as is, anything else not at all (it may be a secret sent by mistake). */
    static String describe(String name) {
        boolean plain = !name.isEmpty() && name.length() <= 128;
        for (int i = 0; plain && i < name.length(); i++) {
            char c = name.charAt(i);
            plain = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '.';
        }
        return plain ? name : "(a name of " + name.length() + " characters)";
    }

    private static Map<String, Long> defaultCaps() {
        long threads = Math.max(8, Runtime.getRuntime().availableProcessors());
        Map<String, Long> caps = new HashMap<>();
        for (String name : List.of("max_threads", "max_insert_threads", "max_final_threads", "max_parsing_threads",
                "max_download_threads", "max_alter_threads", "max_threads_for_indexes")) {
            caps.put(name, threads);
        }
        caps.put("max_memory_usage", 4 * GIB);
        caps.put("max_memory_usage_for_user", 4 * GIB);
        caps.put("max_temporary_data_on_disk_size_for_query", 16 * GIB);
        caps.put("max_temporary_data_on_disk_size_for_user", 16 * GIB);
        caps.put("max_execution_time", 3600L);
        caps.put("max_execution_time_leaf", 3600L);
        caps.put("max_estimated_execution_time", 3600L);
        caps.put("max_concurrent_queries_for_user", 100L);
        caps.put("max_concurrent_queries_for_all_users", 100L);
        return Map.copyOf(caps);
    }
}
