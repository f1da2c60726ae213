package io.chgate.sql;

import java.util.ArrayList;
import java.util.List;

/**
 * Finds every external-source reference of a text, with exact spans and parsed arguments.
 *
 * <p>Targeted rather than a full grammar: a reference is a source's name followed by its argument list, and what
 * stands before the name tells its kind ({@code ENGINE =} an engine, {@code SOURCE(} a dictionary source, anything
 * else a table function). Matching a table function's name in any position — not only after FROM or JOIN — means
 * no subquery, CTE, view body, {@code IN (...)} or {@code INSERT INTO FUNCTION} can hide one, which is the safe side
 * for policy: ClickHouse has no scalar functions by these names.
 */
final class ReferenceFinder {
    private static final String[] POSTGRESQL_TABLE = {"host_port", "database", "table", "user", "password", "schema",
        "on_conflict"};
    private static final String[] POSTGRESQL_DATABASE = {"host_port", "database", "user", "password", "schema",
        "use_table_cache"};
    private static final String[] MYSQL_TABLE = {"host_port", "database", "table", "user", "password",
        "replace_query", "on_duplicate_clause"};
    private static final String[] MYSQL_DATABASE = {"host_port", "database", "user", "password"};
    private static final String[] KAFKA = {"kafka_broker_list", "kafka_topic_list", "kafka_group_name",
        "kafka_format", "kafka_row_delimiter", "kafka_schema", "kafka_num_consumers"};
    private static final String[] MONGODB = {"host_port", "database", "collection", "user", "password", "structure",
        "options"};

    private final String sql;
    private final Tokens t;
    private final List<Reference> found = new ArrayList<>();
    private int[] closing;

    private ReferenceFinder(String sql, Tokens tokens) {
        this.sql = sql;
        this.t = tokens;
    }

    static List<Reference> find(ParsedStatement parsed) {
        ReferenceFinder finder = new ReferenceFinder(parsed.sql(), parsed.tokens());
        finder.run();
        return finder.found;
    }

    private void run() {
        int statementStart = 0;
        int depth = 0;
        int[] opens = new int[16];   // the open parentheses enclosing the current token, innermost last
        for (int i = 0; i < t.size(); i++) {
            TokenType type = t.type(i);
            if (type == TokenType.SEMICOLON) {
                statementStart = i + 1;
                depth = 0;
                continue;
            }
            if (type == TokenType.LPAREN) {
                if (depth == opens.length) {
                    opens = java.util.Arrays.copyOf(opens, depth * 2);
                }
                opens[depth++] = i;
                continue;
            }
            if (type == TokenType.RPAREN) {
                depth = Math.max(0, depth - 1);
                continue;
            }
            // A function name may be quoted: `mysql`('h:3306', ...) is a call too.
            boolean quoted = type == TokenType.QUOTED_IDENTIFIER;
            if (type != TokenType.WORD && !quoted) {
                continue;
            }
            if (i > 0 && t.type(i - 1) == TokenType.DOT) {
                continue;   // db.mysql is a table called mysql, not a source
            }
            boolean call = i + 1 < t.size() && t.type(i + 1) == TokenType.LPAREN;
            if (quoted && !call) {
                continue;   // a quoted name is a source only when called
            }
            String name = quoted ? SqlText.unquoteString(sql.substring(t.start(i), t.end(i)))
                    : sql.substring(t.start(i), t.end(i));
            if (depth == 0 && isEngineName(i, name, call) && isDefinition(statementStart)) {
                engine(i, name, call, isDatabaseStatement(statementStart));
            } else if (call && i >= 2 && t.type(i - 1) == TokenType.LPAREN && isWord(i - 2, "SOURCE")) {
                dictionarySource(i, name);
            } else if (call && (SourceRegistry.isReferenceCall(name)
                    || isTablePosition(i, depth == 0 ? -1 : opens[depth - 1])
                            && !SourceRegistry.isLocalTableFunction(name))) {
                String integration = SourceRegistry.tableFunction(name) == SourceRegistry.SourceClass.INTEGRATION
                        ? SourceRegistry.integrationSource(name) : null;
                String source = integration != null ? integration : name.toLowerCase(java.util.Locale.ROOT);
                int close = matching(i + 1);
                found.add(new Reference(Reference.Kind.TABLE_FUNCTION, source, name, t.start(i), t.end(close),
                        callArguments(i + 1, close, positionalNames(source, false))));
            }
        }
    }

    /**
     * {@code ENGINE = Name[(...)]} or {@code ENGINE Name[(...)]}. Without the equals sign the word after ENGINE is an
     * engine only when it is called or is a known engine name: {@code SELECT engine FROM ...} names a column.
     */
    private boolean isEngineName(int i, String name, boolean call) {
        if (i >= 2 && t.type(i - 1) == TokenType.EQUALS && isWord(i - 2, "ENGINE")) {
            return true;
        }
        return i >= 1 && isWord(i - 1, "ENGINE") && (call || SourceRegistry.isKnownEngine(name));
    }

    /** A table expression: what follows FROM, JOIN or INSERT INTO FUNCTION is a table function when called. */
    private boolean isTablePosition(int i, int enclosingParen) {
        if (i >= 1 && isWord(i - 1, "JOIN")) {
            return !(i >= 2 && isWord(i - 2, "ARRAY"));   // ARRAY JOIN arrayEnumerate(arr): an expression
        }
        if (i >= 1 && isWord(i - 1, "FROM")) {
            // EXTRACT(YEAR FROM toDate(x)), SUBSTRING(s FROM 2), TRIM(BOTH ' ' FROM lower(s)): the SQL-standard
            // functions whose arguments read FROM an expression, not a table.
            return enclosingParen < 1 || !STANDARD_FROM_FUNCTIONS.contains(
                    sql.substring(t.start(enclosingParen - 1), t.end(enclosingParen - 1)).toUpperCase(java.util.Locale.ROOT));
        }
        return i >= 1 && isWord(i - 1, "FUNCTION");
    }

    private static final java.util.Set<String> STANDARD_FROM_FUNCTIONS = java.util.Set.of("EXTRACT", "SUBSTRING",
            "SUBSTR", "TRIM", "POSITION", "OVERLAY");

    /** CREATE, ATTACH or REPLACE: the statements that give tables, databases and dictionaries their engines. */
    private boolean isDefinition(int first) {
        int j = first;
        while (j < t.size() && t.type(j) == TokenType.LPAREN) {
            j++;
        }
        return j < t.size() && (isWord(j, "CREATE") || isWord(j, "ATTACH") || isWord(j, "REPLACE"));
    }

    private void engine(int i, String name, boolean call, boolean database) {
        SourceRegistry.SourceClass kindOf = database ? SourceRegistry.databaseEngine(name)
                : SourceRegistry.tableEngine(name);
        if (kindOf == SourceRegistry.SourceClass.LOCAL) {
            return;
        }
        String source = kindOf == SourceRegistry.SourceClass.INTEGRATION ? SourceRegistry.integrationSource(name)
                : name.toLowerCase(java.util.Locale.ROOT);
        Reference.Kind kind = database ? Reference.Kind.DATABASE_ENGINE : Reference.Kind.TABLE_ENGINE;
        List<Argument> arguments = new ArrayList<>();
        int last = i;
        if (call) {
            int close = matching(i + 1);
            arguments.addAll(callArguments(i + 1, close, positionalNames(source, database)));
            last = close;
        }
        if (("kafka".equals(source) || source.startsWith("materialized")) && last + 1 < t.size()
                && isWord(last + 1, "SETTINGS")) {
            // ENGINE = Kafka SETTINGS kafka_broker_list = '...', ...: the settings are the connection. A materialized
            // engine's choose the schemas and tables it replicates: checked like arguments.
            last = settings(last + 2, arguments);
        }
        found.add(new Reference(kind, source, name, t.start(i), t.end(last), List.copyOf(arguments)));
    }

    private void dictionarySource(int i, String name) {
        SourceRegistry.SourceClass kindOf = SourceRegistry.dictionarySource(name);
        if (kindOf == SourceRegistry.SourceClass.LOCAL) {
            return;
        }
        String source = kindOf == SourceRegistry.SourceClass.INTEGRATION ? SourceRegistry.integrationSource(name)
                : name.toLowerCase(java.util.Locale.ROOT);
        int close = matching(i + 1);
        List<Argument> arguments = new ArrayList<>();
        int j = i + 2;
        while (j < close) {
            if (t.type(j) == TokenType.COMMA) {
                j++;
                continue;
            }
            int keyToken = j;
            String key = sql.substring(t.start(j), t.end(j));
            j++;
            if (j >= close) {
                arguments.add(argument(null, keyToken, keyToken, keyToken + 1, null));
                break;
            }
            int valueEnd = t.type(j) == TokenType.LPAREN ? matching(j) + 1 : j + 1;
            arguments.add(argument(key, keyToken, j, valueEnd, Argument.canonical(key)));
            j = valueEnd;
        }
        found.add(new Reference(Reference.Kind.DICTIONARY_SOURCE, source, name, t.start(i), t.end(close),
                List.copyOf(arguments)));
    }

    /**
     * {@code key = value, ...} after SETTINGS; returns the index of the last token of the list. A value runs to the
     * next comma outside brackets (or the statement's end, or COMMENT): an expression is one argument, never where
     * reading stops, so no setting after it goes unread. Keys may be quoted.
     */
    private int settings(int j, List<Argument> into) {
        int last = j - 1;
        while (j + 2 < t.size() && (t.type(j) == TokenType.WORD || t.type(j) == TokenType.QUOTED_IDENTIFIER)
                && t.type(j + 1) == TokenType.EQUALS) {
            String key = unquoteIdentifier(j);
            int end = j + 2;
            while (end < t.size() && !endsSettingValue(end)) {
                TokenType type = t.type(end);
                end = type == TokenType.LPAREN || type == TokenType.LBRACKET || type == TokenType.LBRACE
                        ? matching(end) + 1 : end + 1;
            }
            if (end == j + 2) {
                break;
            }
            into.add(argument(key, j, j + 2, end, Argument.canonical(key)));
            last = end - 1;
            if (end < t.size() && t.type(end) == TokenType.COMMA) {
                j = end + 1;
            } else {
                break;
            }
        }
        return last;
    }

    private boolean endsSettingValue(int i) {
        TokenType type = t.type(i);
        return type == TokenType.COMMA || type == TokenType.SEMICOLON || type == TokenType.RPAREN
                || type == TokenType.RBRACKET || type == TokenType.RBRACE || isWord(i, "COMMENT")
                || isWord(i, "SETTINGS") || isWord(i, "FORMAT");
    }

    /** The arguments between an opening parenthesis and its match. */
    private List<Argument> callArguments(int open, int close, String[] positional) {
        List<Argument> arguments = new ArrayList<>();
        int j = open + 1;
        int position = 0;
        while (j < close) {
            int argEnd = j;
            while (argEnd < close && t.type(argEnd) != TokenType.COMMA) {
                TokenType type = t.type(argEnd);
                argEnd = type == TokenType.LPAREN || type == TokenType.LBRACKET || type == TokenType.LBRACE
                        ? matching(argEnd) + 1 : argEnd + 1;
            }
            if (argEnd == j) {
                throw new SqlParseException("empty argument", t.start(j));
            }
            boolean named = argEnd - j >= 3 && (t.type(j) == TokenType.WORD || t.type(j) == TokenType.QUOTED_IDENTIFIER)
                    && t.type(j + 1) == TokenType.EQUALS;
            if (named) {
                String key = unquoteIdentifier(j);
                arguments.add(argument(key, j, j + 2, argEnd, Argument.canonical(key)));
            } else {
                String name = position < positional.length ? positional[position]
                        : positional.length == 0 && position > 0 ? "arg" + position : null;
                arguments.add(argument(null, j, j, argEnd, name));
                position++;
            }
            j = argEnd + 1;
        }
        return arguments;
    }

    private Argument argument(String key, int first, int valueFirst, int valueEndExclusive, String name) {
        int start = t.start(first);
        int valueStart = t.start(valueFirst);
        int end = t.end(valueEndExclusive - 1);
        String text = sql.substring(valueStart, end);
        Argument.ValueKind kind = Argument.ValueKind.EXPRESSION;
        String value = text;
        if (valueEndExclusive - valueFirst == 1) {
            switch (t.type(valueFirst)) {
                case STRING -> {
                    kind = Argument.ValueKind.STRING;
                    value = SqlText.unquoteString(text);
                }
                case NUMBER -> kind = Argument.ValueKind.NUMBER;
                case WORD -> kind = Argument.ValueKind.IDENTIFIER;
                case QUOTED_IDENTIFIER -> {
                    kind = Argument.ValueKind.IDENTIFIER;
                    value = unquoteIdentifier(valueFirst);
                }
                default -> { }
            }
        }
        return new Argument(key, name, start, valueStart, end, kind, value, text);
    }

    private String unquoteIdentifier(int i) {
        String text = sql.substring(t.start(i), t.end(i));
        return t.type(i) == TokenType.QUOTED_IDENTIFIER ? SqlText.unquoteString(text) : text;
    }

    private static String[] positionalNames(String source, boolean database) {
        return switch (source) {
            case "postgresql", "materializedpostgresql" -> database ? POSTGRESQL_DATABASE : POSTGRESQL_TABLE;
            case "mysql", "materializedmysql" -> database ? MYSQL_DATABASE : MYSQL_TABLE;
            case "kafka" -> KAFKA;
            case "mongodb" -> MONGODB;
            default -> new String[0];
        };
    }

    /** CREATE / ATTACH [OR REPLACE] DATABASE ... */
    private boolean isDatabaseStatement(int first) {
        int j = first;
        if (j < t.size() && (isWord(j, "CREATE") || isWord(j, "ATTACH"))) {
            j++;
            if (j + 1 < t.size() && isWord(j, "OR") && isWord(j + 1, "REPLACE")) {
                j += 2;
            }
            return j < t.size() && isWord(j, "DATABASE");
        }
        return false;
    }

    private boolean isWord(int i, String keyword) {
        return t.type(i) == TokenType.WORD && t.end(i) - t.start(i) == keyword.length()
                && sql.regionMatches(true, t.start(i), keyword, 0, keyword.length());
    }

    /** The index of the bracket closing the one at {@code open}; one pass builds the whole table, once. */
    private int matching(int open) {
        if (closing == null) {
            closing = new int[t.size()];
            int[] stack = new int[t.size()];
            int depth = 0;
            for (int j = 0; j < t.size(); j++) {
                TokenType type = t.type(j);
                closing[j] = -1;
                if (type == TokenType.LPAREN || type == TokenType.LBRACKET || type == TokenType.LBRACE) {
                    stack[depth++] = j;
                } else if ((type == TokenType.RPAREN || type == TokenType.RBRACKET || type == TokenType.RBRACE)
                        && depth > 0) {
                    closing[stack[--depth]] = j;
                }
            }
        }
        if (closing[open] < 0) {
            throw new SqlParseException("unclosed parenthesis", t.start(open));
        }
        return closing[open];
    }
}
