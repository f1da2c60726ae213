package io.chgate.engine;

/** SQL text chgate itself writes for the engine: every name and value quoted, so none can end its statement. */
final class EngineSql {
    private EngineSql() {
    }

    static String quoteString(String value) {
        return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    static String quoteIdentifier(String name) {
        return "`" + name.replace("\\", "\\\\").replace("`", "\\`") + "`";
    }

    /** A setting's name as given, when it is one (letters, digits, underscores); else ClickHouse's code 115. */
    static String settingName(String name) {
        if (name.isEmpty() || !name.chars().allMatch(c -> c == '_' || Character.isLetterOrDigit(c) && c < 0x80)) {
            throw new EngineException(115, "Code: 115. DB::Exception: Unknown setting '" + name + "'. "
                    + "(UNKNOWN_SETTING)");
        }
        return name;
    }

    /** Query parameter values are read in TSV's escaped form: a raw tab or newline would end the value. */
    static String tsvEscaped(String value) {
        StringBuilder sb = new StringBuilder(value.length() + 16);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\t' -> sb.append("\\t");
                case '\r' -> sb.append("\\r");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }
}
