package io.chgate.gateway.intercept;

import io.chgate.gateway.config.GatewayConfig;
import io.chgate.sql.Lexer;
import io.chgate.sql.SqlText;
import io.chgate.sql.TokenType;
import io.chgate.sql.Tokens;
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
final class IntegrationDatabaseNames {
    static final IntegrationDatabaseNames NONE = new IntegrationDatabaseNames(Map.of());

    /** Integration database name → its integration's collection (what {@code GatewayUser.mayUse} is asked about). */
    private final Map<String, String> collectionByDatabase;

    private IntegrationDatabaseNames(Map<String, String> collectionByDatabase) {
        this.collectionByDatabase = Map.copyOf(collectionByDatabase);
    }

    static IntegrationDatabaseNames of(GatewayConfig config) {
        Map<String, String> byDatabase = new java.util.HashMap<>();
        for (GatewayConfig.Integration integration : config.integrations) {
            integration.databasesInEffect().forEach(d -> byDatabase.put(d.name, integration.collectionName()));
        }
        return new IntegrationDatabaseNames(byDatabase);
    }

    boolean isEmpty() {
        return collectionByDatabase.isEmpty();
    }

    /** The integration owning this database, or null. */
    String collectionOf(String database) {
        return database == null ? null : collectionByDatabase.get(database);
    }

    /**
     * Whether the text could reach an integration database: it holds one's name, a backslash (an escape in a quoted
     * name could spell one), {@code merge} or {@code Identifier}. Allocates nothing.
     */
    boolean mightReach(String sql) {
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

    /** The collections of the integrations whose databases the text names or could reach. */
    Set<String> reachedBy(String sql) {
        Set<String> reached = new LinkedHashSet<>();
        Tokens tokens = Lexer.tokenize(sql);
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
            String name = switch (type) {
                case WORD -> text;
                case QUOTED_IDENTIFIER, STRING -> SqlText.unquoteString(text);
                default -> null;
            };
            String collection = collectionOf(name);
            if (collection != null) {
                reached.add(collection);
            }
        }
        return reached;
    }

    /** The collection of the first integration among these databases (URL parameter, header) a user is denied. */
    String deniedDefault(Collection<String> databases, java.util.function.Predicate<String> mayUse) {
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
