package io.chgate.sql;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Which integrations a query reaches through their integration databases, so that a gateway user may read an
 * integration database only when it may use the integration. Errs towards "all of them": a query that could reach a
 * database without naming it — {@code merge()} with anything but a literal database, an {@code Identifier} query
 * parameter — counts as reaching every one.
 */
public final class IntegrationDatabaseNames {
    public static final IntegrationDatabaseNames NONE = new IntegrationDatabaseNames(Map.of());

    /** Integration database name → its integration's collection (what a gateway user's rights are asked about). */
    private final Map<String, String> collectionByDatabase;

    private IntegrationDatabaseNames(Map<String, String> collectionByDatabase) {
        this.collectionByDatabase = Map.copyOf(collectionByDatabase);
    }

    /** @param collectionByDatabase each integration database's name → the named collection of its integration */
    public static IntegrationDatabaseNames of(Map<String, String> collectionByDatabase) {
        return new IntegrationDatabaseNames(collectionByDatabase);
    }

    public boolean isEmpty() {
        return collectionByDatabase.isEmpty();
    }

    /** The integration owning this database, or null. */
    public String collectionOf(String database) {
        return database == null ? null : collectionByDatabase.get(database);
    }

    /**
     * Whether the text could reach an integration database: it holds one's name, a backslash (an escape in a quoted
     * name could spell one), {@code merge} or {@code Identifier}. Allocates nothing.
     */
    public boolean mightReach(String sql) {
        if (collectionByDatabase.isEmpty()) {
            return false;
        }
        if (sql.indexOf('\\') >= 0 || containsIgnoreCase(sql, "merge") || sql.contains("Identifier")) {
            return true;
        }
        for (String database : collectionByDatabase.keySet()) {
            if (sql.contains(database)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The collections of the integrations whose databases the text names or could reach.
     *
     * @throws SqlParseException when the text cannot be read
     */
    public Set<String> reachedBy(ParsedStatement parsed) {
        Set<String> reached = new LinkedHashSet<>();
        String sql = parsed.sql();
        Tokens tokens = parsed.tokens();
        for (int i = 0; i < tokens.size(); i++) {
            TokenType type = tokens.type(i);
            String text = sql.substring(tokens.start(i), tokens.end(i));
            if (type == TokenType.WORD && text.equalsIgnoreCase("merge") && i + 2 < tokens.size()
                    && tokens.type(i + 1) == TokenType.LPAREN && tokens.type(i + 2) != TokenType.STRING) {
                return Set.copyOf(collectionByDatabase.values());   // merge(REGEXP(...), ...) and the like
            }
            if (type == TokenType.WORD && text.equals("Identifier") && i + 1 < tokens.size()
                    && tokens.type(i + 1) == TokenType.RBRACE) {
                return Set.copyOf(collectionByDatabase.values());   // {db:Identifier}: a name chosen at run time
            }
            String collection = collectionOf(name(sql, tokens, i));
            if (collection != null) {
                reached.add(collection);
            }
        }
        return reached;
    }

    /** Statements that change what a database holds: a client's may not target an integration database. */
    private static final Set<String> CHANGING = Set.of("alter", "drop", "rename", "truncate", "attach", "detach",
            "exchange", "undrop", "optimize");

    /**
     * Why no client may run this statement, or null: integration databases and their tables are created and
     * changed only by chgate. Refused: {@code USE} of one, or {@code database = '...'} naming one (a later
     * unqualified DDL would land in it); a CREATE whose
     * target is in one, or a CREATE TABLE naming one at all ({@code AS events.orders} would clone a Kafka consumer of
     * chgate's collection); any ALTER, DROP, RENAME, TRUNCATE, ATTACH, DETACH, EXCHANGE, UNDROP or OPTIMIZE naming
     * one. Reading, INSERT (Kafka: producing), and views elsewhere that read one stay allowed.
     *
     * @throws SqlParseException when the text might reach an integration database and cannot be read
     */
    public String changeRefusal(ParsedStatement parsed) {
        String sql = parsed.sql();
        if (collectionByDatabase.isEmpty() || !mightReach(sql)) {
            return null;
        }
        Tokens tokens = parsed.tokens();
        String kind = parsed.firstWord();
        if (kind == null) {
            return null;
        }
        String named = firstNamed(sql, tokens, 0);
        if (named == null) {
            return null;
        }
        String assigned = assignedDefault(sql, tokens);
        if (kind.equals("use") || CHANGING.contains(kind) || assigned != null) {
            return refusal(assigned != null ? assigned : named);
        }
        if (kind.equals("create")) {
            String target = createTarget(sql, tokens);
            if (target != null && collectionByDatabase.containsKey(target)) {
                return refusal(target);
            }
            if (createsTable(sql, tokens)) {
                return refusal(named);
            }
        }
        return null;
    }

    /** Whether a statement of this text, run with this default database, would change an integration database. */
    public String defaultDatabaseRefusal(ParsedStatement parsed, Collection<String> databases) {
        String database = null;
        for (String d : databases) {
            if (collectionByDatabase.containsKey(d)) {
                database = d;
            }
        }
        if (database == null) {
            return null;
        }
        String kind = parsed.firstWord();   // null for unreadable SQL, refused elsewhere
        return kind != null && (kind.equals("create") || CHANGING.contains(kind)) ? refusal(database) : null;
    }

    private static String refusal(String database) {
        return "chgate: " + database + " is an integration database: its tables are created and changed only by"
                + " chgate, from the integration's configuration; read it, insert into it, or keep your own tables"
                + " and views in another database";
    }

    /**
     * The integration database a {@code database = '...'} assignment names ({@code SET}, a {@code SETTINGS} clause):
     * newer servers treat the default database as a setting, and a later unqualified DDL would land in it.
     */
    private String assignedDefault(String sql, Tokens tokens) {
        for (int i = 0; i + 2 < tokens.size(); i++) {
            if (tokens.type(i) == TokenType.WORD && tokens.end(i) - tokens.start(i) == 8
                    && sql.regionMatches(true, tokens.start(i), "database", 0, 8)
                    && tokens.type(i + 1) == TokenType.EQUALS) {
                String value = name(sql, tokens, i + 2);
                if (value != null && collectionByDatabase.containsKey(value)) {
                    return value;
                }
            }
        }
        return null;
    }

    /** The first integration database the tokens name from {@code from} on, or null. */
    private String firstNamed(String sql, Tokens tokens, int from) {
        for (int i = from; i < tokens.size(); i++) {
            String name = name(sql, tokens, i);
            if (name != null && collectionByDatabase.containsKey(name)) {
                return name;
            }
        }
        return null;
    }

    /**
     * The database of what a CREATE makes, when the statement names it ({@code CREATE TABLE db.t},
     * {@code CREATE DATABASE db}); null when unqualified.
     */
    private static String createTarget(String sql, Tokens tokens) {
        Set<String> modifiers = Set.of("create", "or", "replace", "temporary", "table", "view", "materialized", "live",
                "window", "dictionary", "if", "not", "exists");
        int i = 0;
        boolean database = false;
        while (i < tokens.size() && tokens.type(i) == TokenType.WORD) {
            String word = sql.substring(tokens.start(i), tokens.end(i)).toLowerCase(java.util.Locale.ROOT);
            if (word.equals("database")) {
                database = true;
            } else if (!modifiers.contains(word)) {
                break;
            }
            i++;
        }
        String first = name(sql, tokens, i);
        if (database || first == null) {
            return first;
        }
        return i + 2 < tokens.size() && tokens.type(i + 1) == TokenType.DOT ? first : null;
    }

    private static boolean createsTable(String sql, Tokens tokens) {
        for (int i = 1; i < Math.min(tokens.size(), 4); i++) {
            if (tokens.type(i) == TokenType.WORD
                    && sql.substring(tokens.start(i), tokens.end(i)).equalsIgnoreCase("table")) {
                return true;
            }
        }
        return false;
    }

    private static String name(String sql, Tokens tokens, int i) {
        if (i >= tokens.size()) {
            return null;
        }
        String text = sql.substring(tokens.start(i), tokens.end(i));
        return switch (tokens.type(i)) {
            case WORD -> text;
            case QUOTED_IDENTIFIER, STRING -> SqlText.unquoteString(text);
            default -> null;
        };
    }

    /** The collection of the first integration among these databases (URL parameter, header) a user is denied. */
    public String deniedDefault(Collection<String> databases, java.util.function.Predicate<String> mayUse) {
        for (String database : databases) {
            String collection = collectionOf(database);
            if (collection != null && !mayUse.test(collection)) {
                return collection;
            }
        }
        return null;
    }

    private static boolean containsIgnoreCase(String text, String lowerWord) {
        for (int i = 0; i + lowerWord.length() <= text.length(); i++) {
            if (text.regionMatches(true, i, lowerWord, 0, lowerWord.length())) {
                return true;
            }
        }
        return false;
    }
}
