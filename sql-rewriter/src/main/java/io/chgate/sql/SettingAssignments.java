package io.chgate.sql;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Finds every setting one statement assigns: a {@code SET} statement ({@code SET TIME ZONE} included), every
 * {@code SETTINGS} clause wherever ClickHouse takes one (queries, subqueries, {@code INSERT}, a table's storage, a
 * column's or a dictionary's {@code SETTINGS (...)}) and {@code MODIFY SETTING} / {@code RESET SETTING}.
 *
 * <p>The word {@code settings} is also a column name ({@code system.query_log}): it starts a clause when a name
 * follows it and, after the name, what may follow a setting's name ({@code =}, a comma, a dot, the end of a clause),
 * or when the name is a known setting's. Reading a column as a clause can only refuse more.
 */
final class SettingAssignments {
    /** Words that may follow a {@code SETTINGS} clause, so a lone name before them is a shorthand assignment. */
    private static final Set<String> AFTER_CLAUSE = Set.of("format", "union", "except", "intersect", "values",
            "select", "with", "as", "comment", "into", "settings", "empty", "populate", "to");

    private final String sql;
    private final Tokens t;
    private final int to;
    private final List<SettingAssignment> found = new ArrayList<>();

    private SettingAssignments(String sql, Tokens t, int to) {
        this.sql = sql;
        this.t = t;
        this.to = to;
    }

    /** The assignments of the statement whose tokens are {@code [from, to)}; {@code from} is its first token. */
    static List<SettingAssignment> of(String sql, Tokens t, int from, int to) {
        SettingAssignments reader = new SettingAssignments(sql, t, to);
        reader.read(from);
        return reader.found;
    }

    private void read(int from) {
        int first = from;
        while (first < to && t.type(first) == TokenType.LPAREN) {
            first++;
        }
        if (first < to && "set".equals(word(first))) {
            setStatement(first + 1);
        }
        boolean create = first < to && ("create".equals(word(first)) || "attach".equals(word(first))
                || "replace".equals(word(first)));
        int engineAt = -1;
        boolean selectSinceEngine = false;
        for (int i = first; i < to; i++) {
            if (t.type(i) != TokenType.WORD || t.end(i) - t.start(i) > 8 || t.end(i) - t.start(i) < 6) {
                continue;   // only engine, select, setting and settings matter here: no copy of other words
            }
            if (isWord(i, "engine") && engineAt < 0) {
                engineAt = i;
            } else if (isWord(i, "select") && engineAt >= 0) {
                selectSinceEngine = true;
            }
            boolean qualified = i > first && t.type(i - 1) == TokenType.DOT
                    || i + 1 < to && t.type(i + 1) == TokenType.DOT;
            if (isWord(i, "settings") && !qualified && i + 1 < to) {
                boolean storage = create && engineAt >= 0 && !selectSinceEngine;
                String engine = storage ? engineName(engineAt) : null;
                if (t.type(i + 1) == TokenType.LPAREN) {
                    list(i + 2, true, engine);   // a column's or a dictionary's SETTINGS (...)
                } else if (startsClause(i + 1)) {
                    list(i + 1, storage, engine);
                }
            } else if (isWord(i, "setting") && i > first && i + 1 < to) {
                String before = word(i - 1);
                if ("modify".equals(before)) {
                    list(i + 1, true, null);
                } else if ("reset".equals(before)) {
                    resetList(i + 1);
                }
            }
        }
    }

    /** {@code SET a = 1, b}, {@code SET TIME ZONE 'tz'}; not {@code SET ROLE}, {@code SET TRANSACTION ...}. */
    private void setStatement(int i) {
        String next = i < to ? word(i) : null;
        boolean assigns = i + 1 < to && (t.type(i + 1) == TokenType.EQUALS || t.type(i + 1) == TokenType.COMMA
                || t.type(i + 1) == TokenType.DOT);
        if (!assigns && ("role".equals(next) || "default".equals(next) || "transaction".equals(next))) {
            return;   // SET ROLE, SET DEFAULT ROLE (StatementPolicy's), SET TRANSACTION SNAPSHOT
        }
        if ("time".equals(next) && i + 1 < to && "zone".equals(word(i + 1))) {
            int v = i + 2 < to && t.type(i + 2) == TokenType.EQUALS ? i + 3 : i + 2;
            follows(value("session_timezone", false, v));
            return;
        }
        list(i, false, null);
    }

    private boolean startsClause(int i) {
        TokenType type = t.type(i);
        if (type == TokenType.LBRACE) {
            return true;   // a query parameter as the name: ClickHouse 26 refuses it; chgate does not read it
        }
        if (type != TokenType.WORD && type != TokenType.QUOTED_IDENTIFIER) {
            return false;
        }
        if (i + 1 == to) {
            return true;
        }
        TokenType after = t.type(i + 1);
        if (after == TokenType.EQUALS || after == TokenType.COMMA || after == TokenType.DOT
                || after == TokenType.SEMICOLON || after == TokenType.RPAREN) {
            return true;
        }
        if (after == TokenType.WORD && AFTER_CLAUSE.contains(word(i + 1))) {
            return true;
        }
        String name = name(i);
        return SettingsRegistry.querySetting(name) != null || SettingsRegistry.tableSetting(name) != null;
    }

    /** {@code name [= value] [, ...]} from token {@code i}. */
    private void list(int i, boolean table, String engine) {
        while (i < to) {
            TokenType type = t.type(i);
            if (type != TokenType.WORD && type != TokenType.QUOTED_IDENTIFIER) {
                if (type != TokenType.RPAREN) {
                    found.add(new SettingAssignment("", table, SettingAssignment.Kind.UNREADABLE, ""));
                }
                return;
            }
            StringBuilder name = new StringBuilder(name(i));
            i++;
            while (i + 1 < to && t.type(i) == TokenType.DOT && isName(i + 1)) {
                name.append('.').append(name(i + 1));
                i += 2;
            }
            boolean kafkaOwn = engine != null && engine.equals("kafka") && name.indexOf("kafka_") == 0
                    && !name.toString().equals("kafka_schema");   // a format schema file: a path
            if (i < to && t.type(i) == TokenType.EQUALS) {
                int end = value(name.toString(), table, i + 1);
                if (kafkaOwn) {
                    found.remove(found.size() - 1);   // the rewriter reads a Kafka table's own settings
                }
                i = end;
            } else if (!kafkaOwn) {
                found.add(new SettingAssignment(name.toString(), table, SettingAssignment.Kind.SHORTHAND, "true"));
            }
            if (i >= to || t.type(i) != TokenType.COMMA) {
                follows(i);
                return;
            }
            i++;
        }
    }

    /**
     * After a list only the statement's end, a closing parenthesis or a word (FORMAT, VALUES, ...) may follow; what
     * else follows ({@code = 1 + 1}) is a value chgate has not read whole.
     */
    private void follows(int i) {
        if (i < to && t.type(i) != TokenType.SEMICOLON && t.type(i) != TokenType.RPAREN
                && t.type(i) != TokenType.WORD && t.type(i) != TokenType.LPAREN) {
            found.add(new SettingAssignment("", false, SettingAssignment.Kind.UNREADABLE, ""));
        }
    }

    /** {@code RESET SETTING a, b}. */
    private void resetList(int i) {
        while (i < to && isName(i)) {
            found.add(new SettingAssignment(name(i), true, SettingAssignment.Kind.DEFAULT, ""));
            if (i + 1 >= to || t.type(i + 1) != TokenType.COMMA) {
                return;
            }
            i += 2;
        }
    }

    /** Reads the value at {@code i}, records the assignment, and answers the token after the value. */
    private int value(String name, boolean table, int i) {
        if (i >= to) {
            return add(name, table, SettingAssignment.Kind.UNREADABLE, "", i);
        }
        TokenType type = t.type(i);
        String text = sql.substring(t.start(i), t.end(i));
        switch (type) {
            case NUMBER:
                return add(name, table, SettingAssignment.Kind.LITERAL, text, i + 1);
            case STRING:
                return add(name, table, SettingAssignment.Kind.LITERAL, SqlText.unquoteString(text), i + 1);
            case HEREDOC:
                int tag = text.indexOf('$', 1) + 1;
                return add(name, table, SettingAssignment.Kind.LITERAL,
                        text.substring(tag, text.length() - tag), i + 1);
            case OPERATOR:
                if ((text.equals("-") || text.equals("+")) && i + 1 < to && (t.type(i + 1) == TokenType.NUMBER
                        || isWord(i + 1, "inf") || isWord(i + 1, "nan"))) {
                    return add(name, table, SettingAssignment.Kind.LITERAL,
                            text + sql.substring(t.start(i + 1), t.end(i + 1)), i + 2);
                }
                return add(name, table, SettingAssignment.Kind.UNREADABLE, "", i);
            case WORD:
                String w = text.toLowerCase(Locale.ROOT);
                if (i + 1 < to && t.type(i + 1) == TokenType.LPAREN) {
                    int close = closing(i + 1);
                    return add(name, table, SettingAssignment.Kind.FUNCTION, w, close);
                }
                if (w.equals("default")) {
                    return add(name, table, SettingAssignment.Kind.DEFAULT, "", i + 1);
                }
                if (w.equals("true") || w.equals("false") || w.equals("null") || w.equals("inf")
                        || w.equals("nan")) {
                    return add(name, table, SettingAssignment.Kind.LITERAL, w, i + 1);
                }
                return add(name, table, SettingAssignment.Kind.UNREADABLE, "", i);
            case LBRACE:
                if (i + 3 < to && isName(i + 1) && t.type(i + 2) == TokenType.OPERATOR
                        && sql.startsWith(":", t.start(i + 2))) {
                    int close = closing(i);
                    return add(name, table, SettingAssignment.Kind.SUBSTITUTION,
                            sql.substring(t.start(i), t.end(close - 1)), close);
                }
                return composite(name, table, i);
            case LBRACKET:
            case LPAREN:
                return composite(name, table, i);
            default:
                return add(name, table, SettingAssignment.Kind.UNREADABLE, "", i);
        }
    }

    private int composite(String name, boolean table, int i) {
        int close = closing(i);
        return add(name, table, SettingAssignment.Kind.COMPOSITE, sql.substring(t.start(i), t.end(close - 1)),
                close);
    }

    /** The token after the bracket that closes the one at {@code open} (or the statement's end). */
    private int closing(int open) {
        int depth = 0;
        for (int i = open; i < to; i++) {
            TokenType type = t.type(i);
            if (type == TokenType.LPAREN || type == TokenType.LBRACKET || type == TokenType.LBRACE) {
                depth++;
            } else if (type == TokenType.RPAREN || type == TokenType.RBRACKET || type == TokenType.RBRACE) {
                if (--depth == 0) {
                    return i + 1;
                }
            }
        }
        return to;
    }

    private int add(String name, boolean table, SettingAssignment.Kind kind, String value, int next) {
        found.add(new SettingAssignment(name, table, kind, value));
        return next;
    }

    /** The table engine named after {@code ENGINE [=]}, in lower case. */
    private String engineName(int engineAt) {
        int i = engineAt + 1;
        if (i < to && t.type(i) == TokenType.EQUALS) {
            i++;
        }
        return i < to && isName(i) ? name(i).toLowerCase(Locale.ROOT) : "";
    }

    private boolean isName(int i) {
        return t.type(i) == TokenType.WORD || t.type(i) == TokenType.QUOTED_IDENTIFIER;
    }

    private boolean isWord(int i, String lower) {
        return t.type(i) == TokenType.WORD && sql.regionMatches(true, t.start(i), lower, 0, lower.length())
                && t.end(i) - t.start(i) == lower.length();
    }

    /** A name token as ClickHouse reads it: a bare word as written, a quoted one unquoted. */
    private String name(int i) {
        String text = sql.substring(t.start(i), t.end(i));
        return t.type(i) == TokenType.QUOTED_IDENTIFIER ? SqlText.unquoteString(text) : text;
    }

    /** A bare word in lower case, or null for any other token. */
    private String word(int i) {
        return t.type(i) == TokenType.WORD ? sql.substring(t.start(i), t.end(i)).toLowerCase(Locale.ROOT) : null;
    }
}
