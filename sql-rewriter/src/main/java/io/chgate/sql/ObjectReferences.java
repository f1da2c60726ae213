package io.chgate.sql;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Which tables, views, dictionaries and databases a statement names, and what it does to each: the question an
 * ownership check asks ("may this user touch that object?"). Read from tokens, not a full grammar, and erring
 * towards naming too much: a word that may be an object in a position where ClickHouse reads one is reported (a
 * CTE's own name excepted), and a statement or construct whose objects cannot be told — a statement kind not known
 * here, an object name given by a query parameter or an expression — is {@link Result#refusal() refused}.
 *
 * <p>Table functions and engines that reach outside ClickHouse are the source policy's; this reports only objects
 * of the server itself.
 */
public final class ObjectReferences {

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

    /** Functions whose first argument names a dictionary, or (joinGet) a Join table. */
    private static final Set<String> OBJECT_NAMING_FUNCTIONS = Set.of("dictget", "dictgetordefault", "dictgetornull",
            "dictgetint8", "dictgetint16", "dictgetint32", "dictgetint64", "dictgetuint8", "dictgetuint16",
            "dictgetuint32", "dictgetuint64", "dictgetfloat32", "dictgetfloat64", "dictgetdate", "dictgetdatetime",
            "dictgetuuid", "dictgetstring", "dictgetipv4", "dictgetipv6", "dictgetint8ordefault",
            "dictgetint16ordefault", "dictgetint32ordefault", "dictgetint64ordefault", "dictgetuint8ordefault",
            "dictgetuint16ordefault", "dictgetuint32ordefault", "dictgetuint64ordefault", "dictgetfloat32ordefault",
            "dictgetfloat64ordefault", "dictgetdateordefault", "dictgetdatetimeordefault", "dictgetuuidordefault",
            "dictgetstringordefault", "dictgetipv4ordefault", "dictgetipv6ordefault", "dicthas", "dictgethierarchy",
            "dictisin", "dictgetchildren", "dictgetdescendants", "dictgetall", "dictionary", "joinget",
            "joingetornull");

    /** Functions in whose parentheses FROM and IN are part of the expression, not a table. */
    private static final Set<String> EXPRESSION_KEYWORD_FUNCTIONS = Set.of("extract", "substring", "substr", "trim",
            "position", "overlay", "locate");

    /** First words of statements this reads; any other statement is refused. */
    private static final Set<String> KNOWN_STATEMENTS = Set.of("select", "with", "insert", "create", "replace", "drop",
            "alter", "rename", "exchange", "truncate", "optimize", "check", "detach", "attach", "delete", "update",
            "describe", "desc", "show", "exists", "use", "set", "explain", "kill", "watch", "undrop", "values");

    private final String sql;
    private final Tokens t;
    private final int to;
    private final List<Ref> refs = new ArrayList<>();
    private final Set<String> cteNames = new HashSet<>();
    private String refusal;

    private ObjectReferences(String sql, Tokens t, int to) {
        this.sql = sql;
        this.t = t;
        this.to = to;
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
            default -> first + 1;
        };
        if (refusal == null) {
            collectCteNames(first);
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

    // ---- the body: FROM, JOIN, IN, functions naming objects ----

    private void scan(int from) {
        // For each open parenthesis: whether it is a call of a function whose FROM / IN are expression keywords.
        boolean[] expressionParens = new boolean[Math.max(1, to - from + 1)];
        int depth = 0;
        for (int i = from; i < to && refusal == null; i++) {
            TokenType type = t.type(i);
            if (type == TokenType.LPAREN) {
                String callee = i > from ? word(i - 1) : null;
                expressionParens[depth] = callee != null && EXPRESSION_KEYWORD_FUNCTIONS.contains(callee);
                depth++;
                continue;
            }
            if (type == TokenType.RPAREN) {
                depth = Math.max(0, depth - 1);
                continue;
            }
            if (type != TokenType.WORD) {
                continue;
            }
            boolean inExpression = depth > 0 && expressionParens[depth - 1];
            String w = word(i);
            if (("from".equals(w) || "join".equals(w) && !isWord(i - 1, "array")) && !inExpression) {
                i = fromItems(i + 1) - 1;
            } else if ("in".equals(w) && !inExpression && isName(i + 1) && !isCall(i + 1)) {
                objectName(i + 1, Use.READ, false);   // x IN table
            } else if (isCall(i)) {
                call(w, i + 2);
            }
        }
    }

    /** Tables after FROM / JOIN: a name (not a table function, not a subquery), and more after commas. */
    private int fromItems(int i) {
        while (i < to) {
            if (t.type(i) == TokenType.LBRACE) {
                refusal = "an object named by a query parameter ({name:Identifier}) cannot be checked by the gateway;"
                        + " write its name";
                return to;
            }
            if (!isName(i) || isCall(i) || isWord(i, "infile")) {
                return i;
            }
            i = objectName(i, Use.READ, false);
            if (isWord(i, "as")) {
                i++;
            }
            if (isName(i) && !isKeywordAfterTable(i)) {
                i++;   // an alias
            }
            if (isWord(i, "final")) {
                i++;
            }
            if (i >= to || t.type(i) != TokenType.COMMA) {
                return i;
            }
            i++;
        }
        return i;
    }

    /** A function, table function or engine whose arguments (from {@code i}) may name objects. */
    private void call(String name, int i) {
        if (OBJECT_NAMING_FUNCTIONS.contains(name)) {
            namedByArgument(i);
        } else if (DATABASE_AND_TABLE_FUNCTIONS.contains(name)) {
            databaseAndTable(i, Use.READ);
        } else if ("buffer".equals(name)) {
            databaseAndTable(i, Use.WRITE);   // ENGINE = Buffer(db, table, ...): flushed into it, read through it
            databaseAndTable(i, Use.READ);
        } else if ("alias".equals(name) || "loop".equals(name)) {
            tableMaybeQualified(i);
        } else if ("merge".equals(name) || "mergetreeanalyzeindexesuuid".equals(name)) {
            refusal = "a " + name + "() over tables chosen by pattern or id cannot be checked by the gateway; name"
                    + " the tables";
        }
    }

    /** Functions whose first two arguments are a database and a table. */
    private static final Set<String> DATABASE_AND_TABLE_FUNCTIONS = Set.of("mergetreeindex", "mergetreeprojection",
            "mergetreeanalyzeindexes", "mergetreetextindex");

    /** {@code (db, table, ...)}: each a name or a string. */
    private void databaseAndTable(int i, Use use) {
        String database = nameArgument(i);
        String table = i + 2 < to && t.type(i + 1) == TokenType.COMMA ? nameArgument(i + 2) : null;
        if (database == null || table == null) {
            refusal = "the database and table a function reads must be written as names, not computed";
            return;
        }
        refs.add(new Ref(database, table, use, false));
    }

    /** {@code (table)} or {@code (db, table)} or {@code (db.table)}: Alias, loop. */
    private void tableMaybeQualified(int i) {
        String first = nameArgument(i);
        if (first != null && i + 2 < to && t.type(i + 1) == TokenType.COMMA) {
            String second = nameArgument(i + 2);
            if (second != null) {
                refs.add(new Ref(first, second, Use.READ, false));
                refs.add(new Ref(first, second, Use.WRITE, false));
                return;
            }
        } else if (first != null && i + 1 < to && t.type(i + 1) == TokenType.RPAREN) {
            refs.add(new Ref(null, first, Use.READ, false));
            refs.add(new Ref(null, first, Use.WRITE, false));
            return;
        } else if (isName(i) && i + 3 < to && t.type(i + 1) == TokenType.DOT) {
            objectName(i, Use.READ, false);
            objectName(i, Use.WRITE, false);
            return;
        }
        refusal = "the table a function reads must be written as a name, not computed";
    }

    /** A single-token argument naming something: an identifier or a string; null for anything else. */
    private String nameArgument(int i) {
        if (i >= to || i + 1 >= to) {
            return null;
        }
        TokenType after = t.type(i + 1);
        if (after != TokenType.COMMA && after != TokenType.RPAREN) {
            return null;
        }
        if (t.type(i) == TokenType.STRING) {
            return SqlText.unquoteString(text(i));
        }
        return isName(i) ? identifier(i) : null;
    }

    /** dictGet('db.dict', ...), dictGet(db.dict, ...), dictionary('d'), joinGet('t', ...). */
    private void namedByArgument(int i) {
        if (i < to && t.type(i) == TokenType.STRING) {
            String name = SqlText.unquoteString(text(i));
            int dot = name.indexOf('.');
            // ClickHouse splits a qualified name at its first dot when the database exists; both readings are checked.
            refs.add(new Ref(null, name, Use.READ, false));
            if (dot > 0) {
                refs.add(new Ref(name.substring(0, dot), name.substring(dot + 1), Use.READ, false));
            }
            return;
        }
        if (isName(i) && !isCall(i)) {
            int end = objectName(i, Use.READ, false);
            if (end < to && (t.type(end) == TokenType.COMMA || t.type(end) == TokenType.RPAREN)) {
                return;
            }
        }
        refusal = "the dictionary or table a function reads must be written as a name, not computed";
    }

    // ---- names ----

    /**
     * Reads {@code [db.]name} at {@code i} as an object, records it, and returns the index past it.
     *
     * @param optional when true, nothing there is fine (e.g. DESCRIBE of a table function)
     */
    private int objectName(int i, Use use, boolean optional) {
        if (i < to && t.type(i) == TokenType.LBRACE) {
            refusal = "an object named by a query parameter ({name:Identifier}) cannot be checked by the gateway;"
                    + " write its name";
            return to;
        }
        if (!isName(i)) {
            return optional ? i : refuse(i);
        }
        String first = identifier(i);
        if (i + 2 < to && t.type(i + 1) == TokenType.DOT && isName(i + 2)) {
            refs.add(new Ref(first, identifier(i + 2), use, false));
            return i + 3;
        }
        if (use == Use.READ && cteNames.contains(first)) {
            return i + 1;
        }
        refs.add(new Ref(null, first, use, false));
        return i + 1;
    }

    private int database(int i, Use use) {
        if (!isName(i)) {
            return refuse(i);
        }
        refs.add(new Ref(null, identifier(i), use, true));
        return i + 1;
    }

    private void collectCteNames(int from) {
        for (int i = from; i + 2 < to; i++) {
            // WITH name AS (SELECT ...) and , name AS (SELECT ...)
            if ((isWord(i, "with") || t.type(i) == TokenType.COMMA) && isName(i + 1) && isWord(i + 2, "as")
                    && i + 3 < to && t.type(i + 3) == TokenType.LPAREN) {
                cteNames.add(identifier(i + 1));
            }
        }
    }

    private boolean isKeywordAfterTable(int i) {
        String w = word(i);
        return w != null && Set.of("final", "sample", "prewhere", "where", "group", "order", "limit", "left",
                "right", "inner", "outer", "full", "cross", "join", "array", "any", "all", "asof", "semi", "anti",
                "global", "paste", "on", "using", "settings", "format", "union", "except", "intersect", "having",
                "window", "qualify", "into", "select", "values", "offset", "fetch", "natural").contains(w);
    }

    private int skipIfNotExists(int i) {
        return isWord(i, "if") && isWord(i + 1, "not") && isWord(i + 2, "exists") ? i + 3 : i;
    }

    private int skipIfExists(int i) {
        return isWord(i, "if") && isWord(i + 1, "exists") ? i + 2 : i;
    }

    private int skipOnCluster(int i) {
        return isWord(i, "on") && isWord(i + 1, "cluster") ? i + 3 : i;
    }

    private int skip(int i, String keyword) {
        return isWord(i, keyword) ? i + 1 : i;
    }

    private int refuse(int i) {
        if (refusal == null) {
            refusal = "the gateway cannot tell which objects this statement touches (at '" + shown(i) + "')";
        }
        return to;
    }

    private boolean isName(int i) {
        return i < to && (t.type(i) == TokenType.WORD || t.type(i) == TokenType.QUOTED_IDENTIFIER);
    }

    private boolean isCall(int i) {
        return i + 1 < to && t.type(i + 1) == TokenType.LPAREN;
    }

    private boolean isWord(int i, String keyword) {
        return i >= 0 && i < to && t.type(i) == TokenType.WORD && t.end(i) - t.start(i) == keyword.length()
                && sql.regionMatches(true, t.start(i), keyword, 0, keyword.length());
    }

    /** The bare word at {@code i} in lower case, or null. */
    private String word(int i) {
        return i >= 0 && i < to && t.type(i) == TokenType.WORD ? text(i).toLowerCase(Locale.ROOT) : null;
    }

    /** An identifier as ClickHouse names the object: bare words as written (case-sensitive), quoted ones unquoted. */
    private String identifier(int i) {
        return t.type(i) == TokenType.QUOTED_IDENTIFIER ? SqlText.unquoteString(text(i)) : text(i);
    }

    private String text(int i) {
        return sql.substring(t.start(i), t.end(i));
    }

    private String shown(int i) {
        if (i >= to) {
            return "end of statement";
        }
        String s = text(i);
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }
}
