package io.chgate.sql;

import static io.chgate.sql.StatementWords.firstWord;
import static io.chgate.sql.StatementWords.isWord;
import static io.chgate.sql.StatementWords.objectName;
import static io.chgate.sql.StatementWords.word;

import io.chgate.sql.ObjectReferences.Ref;
import io.chgate.sql.ObjectReferences.Use;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * What a write makes stale in the response cache, read from {@link ObjectReferences}' uses: every object a
 * statement writes, creates, drops, modifies or renames.
 */
final class WrittenObjects {
    /** Statements that change no table's rows or definition (CHECK TABLE only reads one). */
    private static final Set<String> CHANGE_NOTHING = Set.of("select", "with", "show", "describe", "desc", "exists",
            "explain", "use", "set", "watch", "check");

    private WrittenObjects() {
    }

    static Set<String> written(ParsedStatement statement, String currentDatabase) {
        try {
            statement.tokens();
        } catch (SqlParseException e) {
            return Set.of(CacheableRead.EVERYTHING);
        }
        Set<String> out = new LinkedHashSet<>();
        for (int s = 0; s < statement.statementCount(); s++) {
            int first = firstWord(statement, s);
            String head = word(statement, first);
            if (head != null && CHANGE_NOTHING.contains(head)) {
                continue;
            }
            ObjectReferences.Result refs = ObjectReferences.of(statement.statementText(s));
            if (refs.refusal() != null || "insert".equals(head) && writesTableFunction(statement, first)) {
                return Set.of(CacheableRead.EVERYTHING);   // which entries it makes stale cannot be told
            }
            for (Ref ref : refs.refs()) {
                if (ref.use() != Use.READ && ref.use() != Use.ENTERED) {
                    out.add(ref.isDatabase() ? ref.name() + ".*" : objectName(ref, currentDatabase));
                }
            }
        }
        return Collections.unmodifiableSet(out);
    }

    /** INSERT INTO FUNCTION f(...): rows of a table function, which no cache entry names as an object. */
    private static boolean writesTableFunction(ParsedStatement statement, int insert) {
        int i = isWord(statement, insert + 1, "into") ? insert + 2 : insert + 1;
        return isWord(statement, i, "function");
    }
}
