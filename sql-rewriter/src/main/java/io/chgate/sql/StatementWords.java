package io.chgate.sql;

import io.chgate.sql.ObjectReferences.Ref;
import java.util.Locale;

/** Reading the words of one statement of a {@link ParsedStatement} by token index, as the cache's readers do. */
final class StatementWords {
    private StatementWords() {
    }

    /** The index of statement {@code s}'s first word, past opening parentheses. */
    static int firstWord(ParsedStatement statement, int s) {
        int i = statement.statementFrom(s);
        while (i < statement.statementTo(s) && statement.tokens().type(i) == TokenType.LPAREN) {
            i++;
        }
        return i;
    }

    /** The bare word at {@code i} in lower case, or null. */
    static String word(ParsedStatement statement, int i) {
        Tokens t = statement.tokens();
        return i >= 0 && i < t.size() && t.type(i) == TokenType.WORD
                ? statement.text(i).toLowerCase(Locale.ROOT) : null;
    }

    static boolean isWord(ParsedStatement statement, int i, String keyword) {
        return keyword.equals(word(statement, i));
    }

    /** {@code "database.name"}, the current database filled in. */
    static String objectName(Ref ref, String currentDatabase) {
        return (ref.database() == null ? currentDatabase : ref.database()) + "." + ref.name();
    }
}
