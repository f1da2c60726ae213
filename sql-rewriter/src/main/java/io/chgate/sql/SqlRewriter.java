package io.chgate.sql;

import java.util.List;

/**
 * Finds the external-source references of a statement and rewrites them by splicing replacement text into their
 * spans; every other byte of the statement stays as the client sent it.
 */
public final class SqlRewriter {
    private SqlRewriter() {
    }

    /** The outcome of a rewrite: the SQL to forward, what was found, and whether anything changed. */
    public record Result(String sql, List<Reference> references, boolean changed) {
    }

    /**
     * The references of a statement.
     *
     * @throws SqlParseException when the text is not ClickHouse SQL the lexer can read
     */
    public static List<Reference> analyze(String sql) {
        return analyze(ParsedStatement.of(sql));
    }

    /** The references of the request's text; its tokens are read only when {@link #mightReference} says maybe. */
    public static List<Reference> analyze(ParsedStatement parsed) {
        return mightReference(parsed.sql()) ? ReferenceFinder.find(parsed) : List.of();
    }

    /**
     * The statement to forward: the very same String instance when no reference changes (and, when no word of the
     * text could name a source, without allocating anything).
     *
     * @throws SqlParseException when the text cannot be read
     * @throws RewriteRefusedException when the resolver refuses a reference
     */
    public static String rewriteSql(String sql, Resolver resolver) {
        return rewriteSql(ParsedStatement.of(sql), resolver);
    }

    /**
     * Like {@link #rewriteSql(String, Resolver)}, on the request's text as its other checks read it.
     *
     * @throws SqlParseException when the text cannot be read
     * @throws RewriteRefusedException when the resolver refuses a reference
     */
    public static String rewriteSql(ParsedStatement parsed, Resolver resolver) {
        String sql = parsed.sql();
        if (!mightReference(sql)) {
            return sql;
        }
        return splice(sql, ReferenceFinder.find(parsed), resolver);
    }

    /** The references, always lexing and parsing the whole text (no pre-check): for measurements and explain tools. */
    public static List<Reference> analyzeFully(String sql) {
        return ReferenceFinder.find(ParsedStatement.of(sql));
    }

    /** Like {@link #rewriteSql}, with the references found, for explaining what happens to a statement. */
    public static Result rewrite(String sql, Resolver resolver) {
        List<Reference> references = analyze(sql);
        String rewritten = references.isEmpty() ? sql : splice(sql, references, resolver);
        return new Result(rewritten, references, rewritten != sql);
    }

    private static String splice(String sql, List<Reference> references, Resolver resolver) {
        StringBuilder out = null;
        int copied = 0;
        for (Reference reference : references) {
            Resolution resolution = resolver.resolve(reference);
            if (resolution instanceof Resolution.Refuse refuse) {
                throw new RewriteRefusedException(reference, refuse.reason());
            }
            String replacement;
            if (resolution instanceof Resolution.UseNamedCollection use) {
                replacement = replacement(reference, use);
            } else if (resolution instanceof Resolution.InlineArguments inline) {
                replacement = reference.name() + "(" + String.join(", ", inline.argumentsSql()) + ")";
            } else {
                continue;   // kept
            }
            if (reference.start() < copied) {
                continue;   // nested inside a reference already replaced
            }
            if (out == null) {
                out = new StringBuilder(sql.length() + 32);
            }
            out.append(sql, copied, reference.start()).append(replacement);
            copied = reference.end();
        }
        return out == null ? sql : out.append(sql, copied, sql.length()).toString();
    }

    private static String replacement(Reference reference, Resolution.UseNamedCollection use) {
        StringBuilder sb = new StringBuilder(64);
        sb.append(reference.name()).append('(');
        String collection = SqlText.quoteIdentifier(use.collection());
        if (reference.kind() == Reference.Kind.DICTIONARY_SOURCE) {
            sb.append("NAME ").append(collection);
            for (Resolution.Override o : use.overrides()) {
                sb.append(' ').append(o.key()).append(' ').append(o.valueSql());
            }
        } else {
            sb.append(collection);
            for (Resolution.Override o : use.overrides()) {
                sb.append(", ").append(SqlText.quoteIdentifier(o.key())).append(" = ").append(o.valueSql());
            }
        }
        return sb.append(')').toString();
    }

    /** What stands in for a masked value. */
    public static final String MASK = "'******'";

    /**
     * The text with every value in a credential position replaced by {@link #MASK}, so it is safe to print or log:
     * each secret argument of a reference (a password, an access key) and every string after {@code IDENTIFIED}
     * (a user's password in {@code CREATE USER}), and the user information of any URI ({@code scheme://user:pw@}).
     * Null when the text cannot be read: it may hold a secret where nothing can tell.
     */
    public static String maskSecrets(String sql) {
        try {
            StringBuilder masked = new StringBuilder(sql);
            java.util.TreeMap<Integer, Integer> spans = new java.util.TreeMap<>();
            ParsedStatement parsed = ParsedStatement.of(sql);
            for (Reference reference : analyze(parsed)) {
                for (Argument argument : reference.arguments()) {
                    if (argument.isSecret()) {
                        spans.put(argument.valueStart(), argument.end());
                    }
                }
            }
            Tokens tokens = parsed.tokens();
            boolean identified = false;
            for (int i = 0; i < tokens.size(); i++) {
                TokenType type = tokens.type(i);
                if (type == TokenType.WORD && sql.regionMatches(true, tokens.start(i), "identified", 0, 10)
                        && tokens.end(i) - tokens.start(i) == 10) {
                    identified = true;
                } else if (identified && (type == TokenType.STRING || type == TokenType.HEREDOC)) {
                    spans.put(tokens.start(i), tokens.end(i));
                }
            }
            for (var span : spans.descendingMap().entrySet()) {
                masked.replace(span.getKey(), span.getValue(), MASK);
            }
            // Whatever string is left may still be a URI with a password in it (an address shown as written).
            return UriCredentials.mask(masked.toString());
        } catch (SqlParseException e) {
            return null;
        }
    }

    /**
     * Whether the text could hold a reference — the cheap test before any parsing, allocating nothing. Every
     * reference but an engine clause is a name followed by '(', so it looks back from each '(' to the word before it:
     * a name the registry rewrites or refuses, {@code SOURCE(}, or any word but a local table function's after FROM,
     * JOIN or FUNCTION. Engine clauses are caught by the word ENGINE anywhere. It errs only towards "maybe": a quote,
     * a comment end, a line break or any non-ASCII character between a name and its parenthesis (where a comment
     * or a Unicode space could stand) all answer "maybe", and a "maybe" only costs a full parse.
     */
    public static boolean mightReference(String sql) {
        for (int open = sql.indexOf('('); open >= 0; open = sql.indexOf('(', open + 1)) {
            if (mightReferenceAt(sql, open)) {
                return true;
            }
        }
        return mentions(sql, "engine");
    }

    /** Whether the '(' at {@code open} could open a reference, looking back at the words before it. */
    static boolean mightReferenceAt(String sql, int open) {
        int end = skipSpacesBack(sql, open);
        if (end < 0) {
            return true;
        }
        if (end == 0) {
            return false;
        }
        char last = sql.charAt(end - 1);
        if (last == '`' || last == '"' || last == '/' || last >= 0x80) {
            return true;
        }
        if (!Lexer.isWordChar(last)) {
            return false;
        }
        int start = end - 1;
        while (start > 0 && Lexer.isWordChar(sql.charAt(start - 1))) {
            start--;
        }
        if (SourceRegistry.mightBeReferenceCall(sql, start, end) || isWord(sql, start, end, "source")) {
            return true;
        }
        // The word before the name, across line breaks: a function at the start of a line is the common case.
        // A comment right before the name ends in '/' (answered "maybe"); one on the line above could only hide
        // a FROM before a name no registry knows, which ClickHouse itself would not run.
        int before = skipBlankBack(sql, start);
        if (before > 0 && sql.charAt(before - 1) == '/') {
            return true;
        }
        int wordStart = before;
        while (wordStart > 0 && Lexer.isWordChar(sql.charAt(wordStart - 1))) {
            wordStart--;
        }
        return (isWord(sql, wordStart, before, "from") || isWord(sql, wordStart, before, "join")
                || isWord(sql, wordStart, before, "function")) && !SourceRegistry.mightBeLocalTableFunction(sql,
                start, end);
    }

    /** The offset just past the last non-space character before {@code at}; -1 at a line break ("maybe"). */
    private static int skipSpacesBack(String sql, int at) {
        int end = at;
        while (end > 0) {
            char c = sql.charAt(end - 1);
            if (c == ' ' || c == '\t' || c == '\f' || c == 0x0B) {
                end--;
            } else if (c == '\n' || c == '\r') {
                return -1;
            } else {
                break;
            }
        }
        return end;
    }

    /** The offset just past the last character before {@code at} that is not a space, tab or line break. */
    private static int skipBlankBack(String sql, int at) {
        int end = at;
        while (end > 0) {
            char c = sql.charAt(end - 1);
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == 0x0B) {
                end--;
            } else {
                break;
            }
        }
        return end;
    }

    private static boolean isWord(String sql, int start, int end, String lowerWord) {
        return end - start == lowerWord.length() && sql.regionMatches(true, start, lowerWord, 0, lowerWord.length());
    }

    /** Whether the word occurs anywhere, in any case (also inside longer words: "maybe" is the safe answer). */
    private static boolean mentions(String sql, String lowerWord) {
        char lower = lowerWord.charAt(0);
        char upper = Character.toUpperCase(lower);
        for (int i = 0; i < sql.length(); i++) {
            char c = sql.charAt(i);
            if ((c == lower || c == upper) && sql.regionMatches(true, i, lowerWord, 0, lowerWord.length())) {
                return true;
            }
        }
        return false;
    }
}
