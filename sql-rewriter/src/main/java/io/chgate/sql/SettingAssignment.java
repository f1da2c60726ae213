package io.chgate.sql;

/**
 * One {@code name [= value]} a statement assigns, as ClickHouse's {@code SET} / {@code SETTINGS} parser reads it.
 *
 * @param name the setting's name as ClickHouse sees it: quotes removed, compound parts joined with dots
 * @param table whether it sits in a table's definition ({@code ENGINE ... SETTINGS}, {@code MODIFY SETTING}, a
 *     column's or a dictionary's {@code SETTINGS (...)}), where MergeTree's own settings are allowed too
 * @param kind how the value is written
 * @param value the literal's value (a string unquoted, a number as written), else the value's text
 */
public record SettingAssignment(String name, boolean table, Kind kind, String value) {

    public enum Kind {
        /** A number, string, {@code true}, {@code false}, {@code NULL}, {@code inf} or {@code nan}. */
        LITERAL,
        /** {@code name} alone: {@code = true} for a Bool setting. */
        SHORTHAND,
        /** {@code name = DEFAULT}, or {@code RESET SETTING name}. */
        DEFAULT,
        /** {@code {name:Type}}: a query parameter's value, known only when ClickHouse substitutes it. */
        SUBSTITUTION,
        /** A map, array or tuple of literals. */
        COMPOSITE,
        /** A function call: {@code disk = disk(...)}. */
        FUNCTION,
        /** Something chgate cannot read as a setting's value. */
        UNREADABLE
    }
}
