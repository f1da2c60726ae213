package io.chgate.sql;

import io.chgate.sql.ObjectReferences.Ref;
import io.chgate.sql.ObjectReferences.Use;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * What {@link ObjectReferences} reads in a statement's body — tables after FROM and JOIN, {@code IN table}, functions
 * and engines whose arguments name objects — and the objects and refusal it collects.
 */
abstract class ObjectCollector extends TokenCursor {
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

    final List<Ref> refs = new ArrayList<>();
    String refusal;

    ObjectCollector(String sql, Tokens t, int to) {
        super(sql, t, to);
    }

    // ---- the body: FROM, JOIN, IN, functions naming objects ----

    void scan(int from) {
        // Per open parenthesis: whether it is a call of a function whose FROM / IN are expression keywords; per
        // depth: whether a FROM list is open there, so a comma at that depth starts another table of it (after a
        // subquery or table function as well as after a name).
        int size = Math.max(1, to - from + 2);
        boolean[] expressionParens = new boolean[size];
        boolean[] fromList = new boolean[size];
        int depth = 0;
        for (int i = from; i < to && refusal == null; i++) {
            TokenType type = t.type(i);
            if (type == TokenType.LPAREN) {
                String callee = i > from ? word(i - 1) : null;
                expressionParens[depth] = callee != null && EXPRESSION_KEYWORD_FUNCTIONS.contains(callee);
                depth++;
                fromList[depth] = false;
                continue;
            }
            if (type == TokenType.RPAREN) {
                depth = Math.max(0, depth - 1);
                continue;
            }
            if (type == TokenType.COMMA) {
                if (fromList[depth]) {
                    i = fromItems(i + 1) - 1;
                }
                continue;
            }
            if (type != TokenType.WORD) {
                continue;
            }
            boolean inExpression = depth > 0 && expressionParens[depth - 1];
            String w = word(i);
            if (("from".equals(w) || "join".equals(w) && !isWord(i - 1, "array")) && !inExpression) {
                fromList[depth] = true;
                i = fromItems(i + 1) - 1;
            } else if (FROM_LIST_ENDS.contains(w)) {
                fromList[depth] = false;
            } else if ("in".equals(w) && !inExpression && isName(i + 1) && !isCall(i + 1)) {
                objectName(i + 1, Use.READ, false);   // x IN table
            } else if ("in".equals(w) && !inExpression && i + 3 < to && t.type(i + 1) == TokenType.LPAREN
                    && isName(i + 2) && !isWord(i + 2, "select") && !isWord(i + 2, "with")
                    && (t.type(i + 3) == TokenType.RPAREN || t.type(i + 3) == TokenType.DOT)) {
                objectName(i + 2, Use.READ, false);   // x IN (table) — or a one-column tuple: reported either way
            }
            if (isCall(i) && refusal == null) {
                call(w, i + 2);
            }
        }
    }

    /** Keywords after which a comma no longer separates tables of a FROM list. */
    private static final Set<String> FROM_LIST_ENDS = Set.of("where", "prewhere", "group", "order", "limit", "having",
            "settings", "format", "union", "except", "intersect", "window", "qualify", "select", "on", "using",
            "values", "into", "by", "offset", "interpolate");

    /** Tables after FROM / JOIN or a comma of a FROM list: a name or string (a subquery and a call are the scan's). */
    int fromItems(int i) {
        if (i < to && t.type(i) == TokenType.LBRACE) {
            refusal = "an object named by a query parameter ({name:Identifier}) cannot be checked by the gateway;"
                    + " write its name";
            return to;
        }
        if (i < to && t.type(i) == TokenType.STRING) {
            stringNamed(i, Use.READ);   // FROM 'table': ClickHouse takes a string there as the table's name
            return i + 1;
        }
        if (!isName(i) || isCall(i) || isWord(i, "infile")) {
            return i;
        }
        return objectName(i, Use.READ, false);
    }

    /** Whether a function so named (in lower case) reads the dictionary or Join table its first argument names. */
    static boolean namesObject(String name) {
        return OBJECT_NAMING_FUNCTIONS.contains(name) || name.startsWith("dict") || name.startsWith("joinget");
    }

    /** A function, table function or engine whose arguments (from {@code i}) may name objects. */
    void call(String name, int i) {
        if (namesObject(name)) {
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
    static final Set<String> DATABASE_AND_TABLE_FUNCTIONS = Set.of("mergetreeindex", "mergetreeprojection",
            "mergetreeanalyzeindexes", "mergetreetextindex");

    /** {@code (db, table, ...)}: each a name or a string. */
    void databaseAndTable(int i, Use use) {
        String database = nameArgument(i);
        String table = i + 2 < to && t.type(i + 1) == TokenType.COMMA ? nameArgument(i + 2) : null;
        if (database == null || table == null) {
            refusal = "the database and table a function reads must be written as names, not computed";
            return;
        }
        refs.add(new Ref(database, table, use, false));
    }

    /** {@code (table)} or {@code (db, table)} or {@code (db.table)}: Alias, loop. */
    void tableMaybeQualified(int i) {
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
    String nameArgument(int i) {
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

    /**
     * An object named by the string at {@code i}: ClickHouse may read {@code 'db.name'} as a database and a name, or
     * as one name with a dot in it, so both readings are reported.
     */
    void stringNamed(int i, Use use) {
        String name = SqlText.unquoteString(text(i));
        int dot = name.indexOf('.');
        refs.add(new Ref(null, name, use, false));
        if (dot > 0) {
            refs.add(new Ref(name.substring(0, dot), name.substring(dot + 1), use, false));
        }
    }

    /** dictGet('db.dict', ...), dictGet(db.dict, ...), dictionary('d'), joinGet('t', ...). */
    void namedByArgument(int i) {
        if (i < to && t.type(i) == TokenType.STRING) {
            stringNamed(i, Use.READ);
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
    int objectName(int i, Use use, boolean optional) {
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
        refs.add(new Ref(null, first, use, false));
        return i + 1;
    }

    int database(int i, Use use) {
        if (!isName(i)) {
            return refuse(i);
        }
        refs.add(new Ref(null, identifier(i), use, true));
        return i + 1;
    }



    int refuse(int i) {
        if (refusal == null) {
            refusal = "the gateway cannot tell which objects this statement touches (at '" + shown(i) + "')";
        }
        return to;
    }
}
