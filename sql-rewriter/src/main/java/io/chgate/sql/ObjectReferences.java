package io.chgate.sql;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Which tables, views, dictionaries and databases a statement names, and what it does to each: the question an
 * ownership check asks ("may this user touch that object?"). Read from tokens, not a full grammar, and erring
 * towards naming too much: a word that may be an object in a position where ClickHouse reads one is reported (a
 * CTE's own name too: which scope a name resolves in is not worth the risk of reading it wrong), and a statement or construct whose objects cannot be told — a statement kind not known
 * here, an object name given by a query parameter or an expression — is {@link Result#refusal() refused}.
 *
 * <p>Table functions and engines that reach outside ClickHouse are the source policy's; this reports only objects
 * of the server itself.
 */
public final class ObjectReferences extends ObjectCollector {

    /**
     * What a statement does to an object; RENAMED: it is renamed away (a CREATE of its new name follows); ENTERED: a
     * database becomes the session's current one ({@code USE}).
     */
    public enum Use { READ, WRITE, CREATE, DROP, MODIFY, RENAMED, ENTERED }

    /**
     * One object named by a statement.
     *
     * @param database the database written, or null for the statement's current one; for a database itself, null
     * @param name the object's name (a database's for {@code database == true})
     */
    public record Ref(String database, String name, Use use, boolean isDatabase) {
    }

    /** The objects a statement names, or why they cannot be told (then {@code refs} is empty). */
    public record Result(List<Ref> refs, String refusal) {
        static Result refused(String why) {
            return new Result(List.of(), "chgate: " + why);
        }
    }

    /** First words of statements this reads; any other statement is refused. */
    private static final Set<String> KNOWN_STATEMENTS = Set.of("select", "with", "insert", "create", "replace", "drop",
            "alter", "rename", "exchange", "truncate", "optimize", "check", "detach", "attach", "delete", "update",
            "describe", "desc", "show", "exists", "use", "set", "explain", "kill", "watch", "undrop", "values",
            "system");


    private ObjectReferences(String sql, Tokens t, int to) {
        super(sql, t, to);
    }

    /** The objects of every statement in the text. */
    public static Result of(String sql) {
        return of(sql, Lexer.tokenize(sql));
    }

    /** The objects of every statement in {@code tokens} (the tokens of {@code sql}). */
    public static Result of(String sql, Tokens tokens) {
        List<Ref> all = new ArrayList<>();
        int from = 0;
        for (int i = 0; i <= tokens.size(); i++) {
            if (i == tokens.size() || tokens.type(i) == TokenType.SEMICOLON) {
                if (i > from) {
                    ObjectReferences statement = new ObjectReferences(sql, tokens, i);
                    statement.statement(from);
                    if (statement.refusal != null) {
                        return Result.refused(statement.refusal);
                    }
                    all.addAll(statement.refs);
                }
                from = i + 1;
            }
        }
        return new Result(List.copyOf(all), null);
    }

    private void statement(int from) {
        int first = from;
        while (first < to && t.type(first) == TokenType.LPAREN) {
            first++;
        }
        String head = word(first);
        if (head == null || !KNOWN_STATEMENTS.contains(head)) {
            refusal = "the gateway cannot tell which objects a statement beginning with '" + shown(first)
                    + "' touches";
            return;
        }
        int next = switch (head) {
            case "insert" -> insert(first + 1);
            case "create", "replace" -> create(first + 1);
            case "drop", "undrop" -> drop(first + 1, head.equals("drop") ? Use.DROP : Use.CREATE);
            case "alter" -> alter(first + 1);
            case "rename" -> rename(first + 1);
            case "exchange" -> exchange(first + 1);
            case "truncate", "optimize", "check", "detach", "attach" -> objectStatement(first + 1, Use.MODIFY);
            case "delete" -> deleteFrom(first + 1);
            case "update" -> objectName(first + 1, Use.WRITE, false);
            case "describe", "desc", "exists" -> describe(first + 1);
            case "show" -> show(first + 1);
            case "use" -> database(first + 1, Use.ENTERED);
            case "watch" -> objectName(first + 1, Use.READ, false);
            case "system" -> system(first + 1);
            default -> first + 1;
        };
        if (refusal == null) {
            scan(Math.max(next, first + 1));
        }
    }

    // ---- statement heads ----

    private int insert(int i) {
        i = skip(i, "into");
        if (isWord(i, "function")) {
            return i + 1;   // a table function: the source policy's
        }
        i = skip(i, "table");
        return objectName(i, Use.WRITE, false);
    }

    private int create(int i) {
        i = skip(skip(i, "or"), "replace");
        i = skip(i, "temporary");
        String kind = word(i);
        if (kind == null) {
            return refuse(i);
        }
        switch (kind) {
            case "database" -> {
                int end = database(skipIfNotExists(i + 1), Use.CREATE);
                end = skipOnCluster(end);
                if (isWord(end, "engine") && end + 2 < to && t.type(end + 1) == TokenType.EQUALS
                        && isWord(end + 2, "dictionary")) {
                    refusal = "a database of engine Dictionary shows every dictionary: not allowed through the gateway";
                }
                return end;
            }
            case "function" -> {
                refusal = "user-defined functions are global to the engine: CREATE FUNCTION is not allowed through"
                        + " the gateway";
                return to;
            }
            case "table", "dictionary", "view" -> i++;
            case "materialized", "live", "window" -> {
                if (!isWord(i + 1, "view")) {
                    return refuse(i);
                }
                i += 2;
            }
            default -> {
                return refuse(i);   // users, roles, collections ... are refused by the statement policy first
            }
        }
        i = objectName(skipIfNotExists(i), Use.CREATE, false);
        i = skipOnCluster(i);
        if (isWord(i, "to")) {
            i = objectName(i + 1, Use.WRITE, false);   // a materialized view's target
        }
        if (isWord(i, "clone") || isWord(i, "empty")) {
            i++;   // CREATE TABLE x CLONE AS other (structure and data), EMPTY AS ...
        }
        if (isWord(i, "as") && isName(i + 1) && !isWord(i + 1, "select") && !isWord(i + 1, "with")
                && !(i + 2 < to && t.type(i + 2) == TokenType.LPAREN)) {
            i = objectName(i + 1, Use.READ, false);   // CREATE TABLE x AS other: other's structure and engine
        }
        return i;
    }

    private int drop(int i, Use use) {
        i = skip(i, "temporary");
        String kind = word(i);
        if ("database".equals(kind)) {
            return database(skipIfExists(i + 1), use);
        }
        if ("function".equals(kind)) {
            refusal = "user-defined functions are global to the engine: DROP FUNCTION is not allowed through the"
                    + " gateway";
            return to;
        }
        if (!"table".equals(kind) && !"view".equals(kind) && !"dictionary".equals(kind)) {
            return refuse(i);
        }
        i = objectName(skipIfExists(i + 1), use, false);
        while (i < to && t.type(i) == TokenType.COMMA) {
            i = objectName(i + 1, use, false);
        }
        return i;
    }

    private int alter(int i) {
        i = skip(i, "temporary");
        if (!isWord(i, "table") && !isWord(i, "view") && !isWord(i, "dictionary")) {
            return refuse(i);   // ALTER USER / ROLE / ... are the statement policy's
        }
        i = objectName(i + 1, Use.MODIFY, false);
        // MOVE PARTITION ... TO TABLE other: written to
        for (int j = i; j + 2 < to; j++) {
            if (isWord(j, "to") && isWord(j + 1, "table")) {
                objectName(j + 2, Use.WRITE, false);
            }
        }
        return i;
    }

    private int rename(int i) {
        boolean databases = isWord(i, "database");
        if (isWord(i, "table") || isWord(i, "dictionary") || databases) {
            i++;
        }
        while (true) {
            i = databases ? database(i, Use.RENAMED) : objectName(i, Use.RENAMED, false);
            if (!isWord(i, "to")) {
                return refuse(i);
            }
            i = databases ? database(i + 1, Use.CREATE) : objectName(i + 1, Use.CREATE, false);
            if (i >= to || t.type(i) != TokenType.COMMA) {
                return i;
            }
            i++;
        }
    }

    private int exchange(int i) {
        if (!isWord(i, "tables") && !isWord(i, "dictionaries")) {
            return refuse(i);
        }
        i = objectName(i + 1, Use.MODIFY, false);
        if (!isWord(i, "and")) {
            return refuse(i);
        }
        return objectName(i + 1, Use.MODIFY, false);
    }

    /** TRUNCATE / OPTIMIZE / CHECK / DETACH / ATTACH [TEMPORARY] [TABLE | VIEW | DICTIONARY | DATABASE] name. */
    private int objectStatement(int i, Use use) {
        i = skip(i, "temporary");
        if (isWord(i, "all") && isWord(i + 1, "tables") && isWord(i + 2, "from")) {
            return database(i + 3, use);   // TRUNCATE ALL TABLES FROM db
        }
        if (isWord(i, "database")) {
            return database(skipIfExists(i + 1), use);
        }
        if (isWord(i, "table") || isWord(i, "view") || isWord(i, "dictionary")) {
            i++;
        } else if (isWord(i, "materialized") && isWord(i + 1, "view")) {
            i += 2;
        }
        return objectName(skipIfNotExists(skipIfExists(i)), use, false);
    }

    private int deleteFrom(int i) {
        if (!isWord(i, "from")) {
            return refuse(i);
        }
        return objectName(i + 1, Use.WRITE, false);
    }

    private int describe(int i) {
        i = skip(i, "temporary");
        if (isWord(i, "database")) {
            return database(i + 1, Use.READ);
        }
        if (isWord(i, "table") || isWord(i, "dictionary") || isWord(i, "view")) {
            i++;
        }
        if (i < to && t.type(i) == TokenType.LPAREN) {
            return i;   // DESCRIBE (SELECT ...): the scan reads it
        }
        return objectName(i, Use.READ, true);
    }

    /** SYSTEM RELOAD DICTIONARY [ON CLUSTER c] name; every other SYSTEM statement is refused. */
    private int system(int i) {
        if (isWord(i, "reload") && isWord(i + 1, "dictionary")) {
            return objectName(skipOnCluster(i + 2), Use.MODIFY, false);
        }
        return refuse(i);
    }

    private int show(int i) {
        if (isWord(i, "create")) {
            return describe(i + 1);
        }
        // SHOW [FULL] [TEMPORARY] TABLES | DICTIONARIES | COLUMNS ... [FROM | IN db]: a listing of a database
        for (int j = i; j + 1 < to; j++) {
            if (isWord(j, "from") || isWord(j, "in")) {
                if (isWord(i, "columns") || isWord(i + 1, "columns") || isWord(i, "index") || isWord(i, "indexes")
                        || isWord(i, "keys")) {
                    j = objectName(j + 1, Use.READ, true);   // SHOW COLUMNS FROM t [FROM db]
                    if (isWord(j, "from") || isWord(j, "in")) {
                        database(j + 1, Use.READ);
                    }
                } else {
                    database(j + 1, Use.READ);
                }
                return to;
            }
        }
        return to;
    }
}
