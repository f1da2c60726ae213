package io.chgate.sql;

import java.util.Locale;
import java.util.Set;

/**
 * Statements a gateway client may never run, whatever ClickHouse user it maps to: what manages named collections,
 * users and grants, the server itself (SYSTEM, KILL), what reads or writes files or other hosts outside any table
 * source (BACKUP, RESTORE, INTO OUTFILE, FROM INFILE, ATTACH ... FROM 'path'), and the settings that guard secrets.
 * chgate's own admin runs such statements on its own channel, never through the client port.
 *
 * <p>The server's grants refuse most of these too, for a least-privileged user; this is the second wall, and the only
 * one in front of an engine that cannot enforce users (the embedded engine runs everything as one user).
 */
public final class StatementPolicy {

    /**
     * Settings a client may not set, in SQL ({@code SET}, {@code SETTINGS}) or as request parameters: each one, set
     * by a client, would expose a credential or let data run as SQL past chgate's reading of the request.
     */
    public static final Set<String> PINNED_SETTINGS = Set.of(
            "allow_named_collection_override_by_default",
            "allow_experimental_eval_table_function",
            "input_format_values_interpret_expressions",
            "input_format_values_deduce_templates_of_expressions",
            "display_secrets_in_show_and_select",
            "format_display_secrets_in_show_and_select",
            "max_parser_depth");

    /** First words of statements refused outright. */
    private static final Set<String> REFUSED_STATEMENTS = Set.of("system", "backup", "restore", "grant", "revoke");

    /** Objects of CREATE / ALTER / DROP that belong to access management. */
    private static final Set<String> ACCESS_OBJECTS = Set.of("user", "role", "quota", "policy", "profile", "masking");

    /** Words whose presence makes the full check worth running; every rule below needs at least one of them. */
    static final int LONGEST_TRIGGER;
    /** The trigger words bucketed by length, so a word is compared only with triggers as long as it. */
    private static final String[][] TRIGGERS_BY_LENGTH;
    /** For each length, a bit per letter a-z that some trigger of that length starts with. */
    private static final int[] TRIGGER_FIRST_LETTERS;

    static {
        java.util.Set<String> triggers = new java.util.TreeSet<>(PINNED_SETTINGS);
        triggers.addAll(REFUSED_STATEMENTS);
        triggers.addAll(Set.of("kill", "named", "outfile", "infile", "attach", "default"));
        triggers.addAll(Set.of("set", "settings", "setting"));   // every assignment goes to SettingsPolicy
        triggers.addAll(ACCESS_OBJECTS);
        LONGEST_TRIGGER = triggers.stream().mapToInt(String::length).max().orElseThrow();
        TRIGGERS_BY_LENGTH = new String[LONGEST_TRIGGER + 1][];
        for (int length = 0; length <= LONGEST_TRIGGER; length++) {
            int n = length;
            TRIGGERS_BY_LENGTH[length] = triggers.stream().filter(w -> w.length() == n).toArray(String[]::new);
        }
        TRIGGER_FIRST_LETTERS = new int[LONGEST_TRIGGER + 1];
        for (String trigger : triggers) {
            TRIGGER_FIRST_LETTERS[trigger.length()] |= 1 << (trigger.charAt(0) - 'a');
        }
    }

    private StatementPolicy() {
    }

    /**
     * Why the text may not run, or null when this policy has nothing against it.
     *
     * @throws SqlParseException when the text cannot be read
     */
    public static String refusal(String sql) {
        return refusal(ParsedStatement.of(sql), SettingsPolicy.DEFAULT);
    }

    /** As {@link #refusal(String)}, with the caps of this policy for the settings the statement assigns. */
    public static String refusal(String sql, SettingsPolicy settings) {
        return refusal(ParsedStatement.of(sql), settings);
    }

    /** As {@link #refusal(ParsedStatement, SettingsPolicy)} with the default caps. */
    public static String refusal(ParsedStatement parsed) {
        return refusal(parsed, SettingsPolicy.DEFAULT);
    }

    /**
     * Why the request's text may not run, or null; reads its tokens only when {@link #mightRefuse} says maybe.
     *
     * @throws SqlParseException when the text cannot be read
     */
    public static String refusal(ParsedStatement parsed, SettingsPolicy settings) {
        String sql = parsed.sql();
        if (!mightRefuse(sql)) {
            return null;
        }
        Tokens t = parsed.tokens();
        for (int s = 0; s < parsed.statementCount(); s++) {
            String reason = statementRefusal(sql, t, parsed.statementFrom(s), parsed.statementTo(s), settings);
            if (reason != null) {
                return reason;
            }
        }
        return null;
    }

    /** Whether a setting name (a request parameter, a form field) is one a client may not set. */
    public static boolean isPinnedSetting(String name) {
        // Most request parameters (query, database, default_format, ...) are shorter than any pinned name: they
        // are ruled out without the lower-casing copy.
        return name != null && name.length() >= SHORTEST_PINNED && name.length() <= LONGEST_TRIGGER
                && PINNED_SETTINGS.contains(name.toLowerCase(Locale.ROOT));
    }

    private static final int SHORTEST_PINNED = PINNED_SETTINGS.stream().mapToInt(String::length).min().orElseThrow();

    private static String statementRefusal(String sql, Tokens t, int from, int to, SettingsPolicy settings) {
        int first = from;
        while (first < to && t.type(first) == TokenType.LPAREN) {
            first++;
        }
        if (first == to) {
            return null;
        }
        String head = word(sql, t, first);
        if (head != null && REFUSED_STATEMENTS.contains(head)) {
            return "chgate: " + head.toUpperCase(Locale.ROOT) + " statements are not allowed through the gateway";
        }
        if ("kill".equals(head) && !isKillOfOneQuery(sql, t, first, to)) {
            return "chgate: only KILL QUERY WHERE query_id = <a query id> is allowed through the gateway";
        }
        if (("create".equals(head) || "alter".equals(head) || "drop".equals(head)) && accessObject(sql, t, first + 1, to)) {
            return "chgate: users, roles, quotas, policies and profiles are managed in ClickHouse, not through the gateway";
        }
        if ("set".equals(head) && first + 2 < to && "default".equals(word(sql, t, first + 1))
                && "role".equals(word(sql, t, first + 2))) {
            return "chgate: SET DEFAULT ROLE is not allowed through the gateway";
        }
        for (int i = first; i < to; i++) {
            String w = word(sql, t, i);
            if (w == null) {
                continue;
            }
            String next = i + 1 < to ? word(sql, t, i + 1) : null;
            if ("named".equals(w) && next != null && next.startsWith("collection")) {
                return "chgate: named collections are managed by chgate; clients may use them only through the"
                        + " integrations they are allowed";
            }
            if ("into".equals(w) && "outfile".equals(next) || "from".equals(w) && "infile".equals(next)) {
                return "chgate: INTO OUTFILE and FROM INFILE are not allowed through the gateway";
            }
            if ("attach".equals(w) && i == first && hasFromPath(sql, t, first, to)) {
                return "chgate: ATTACH ... FROM a path is not allowed through the gateway";
            }
            if (PINNED_SETTINGS.contains(w) && i + 1 < to && t.type(i + 1) == TokenType.EQUALS) {
                return "chgate: the setting " + w + " is fixed by the gateway and may not be changed";
            }
        }
        SettingRefusal setting = settings.statementRefusal(sql, t, from, to);
        return setting == null ? null : setting.reason();
    }

    /** {@code KILL QUERY WHERE query_id = '...' [SYNC | ASYNC | TEST]}: cancelling one's own query by its id. */
    private static boolean isKillOfOneQuery(String sql, Tokens t, int first, int to) {
        int i = first + 1;
        if (i + 4 >= to + 1 || !"query".equals(word(sql, t, i)) || !"where".equals(word(sql, t, i + 1))
                || !"query_id".equals(word(sql, t, i + 2)) || t.type(i + 3) != TokenType.EQUALS
                || t.type(i + 4) != TokenType.STRING) {
            return false;
        }
        i += 5;
        if (i < to) {
            String mode = word(sql, t, i);
            if (!"sync".equals(mode) && !"async".equals(mode) && !"test".equals(mode)) {
                return false;
            }
            i++;
        }
        return i == to;
    }

    /** CREATE / ALTER / DROP [OR REPLACE] [ROW | SETTINGS] USER | ROLE | QUOTA | POLICY | PROFILE ... */
    private static boolean accessObject(String sql, Tokens t, int i, int to) {
        for (int j = i; j < to && j < i + 4; j++) {
            String w = word(sql, t, j);
            if (w == null) {
                return false;
            }
            if (ACCESS_OBJECTS.contains(w)) {
                return true;
            }
            if (!"or".equals(w) && !"replace".equals(w) && !"row".equals(w) && !"settings".equals(w)
                    && !"temporary".equals(w)) {
                return false;
            }
        }
        return false;
    }

    private static boolean hasFromPath(String sql, Tokens t, int first, int to) {
        for (int i = first; i + 1 < to; i++) {
            if ("from".equals(word(sql, t, i)) && t.type(i + 1) == TokenType.STRING) {
                return true;
            }
        }
        return false;
    }

    /** The token as a lower-case word (bare or quoted identifier), or null for any other token. */
    private static String word(String sql, Tokens t, int i) {
        TokenType type = t.type(i);
        if (type == TokenType.WORD) {
            int length = t.end(i) - t.start(i);
            return length > LONGEST_TRIGGER + 10 ? "" : sql.substring(t.start(i), t.end(i)).toLowerCase(Locale.ROOT);
        }
        if (type == TokenType.QUOTED_IDENTIFIER) {
            return SqlText.unquoteString(sql.substring(t.start(i), t.end(i))).toLowerCase(Locale.ROOT);
        }
        return null;
    }

    /**
     * Whether any rule could apply: some ASCII word of the text is a trigger. Allocates nothing for text without
     * one, which is almost every query. Errs towards "maybe": words are cut at every non-letter, so a trigger
     * inside a quoted identifier or a string still answers yes.
     */
    public static boolean mightRefuse(String sql) {
        int n = sql.length();
        int i = 0;
        while (i < n) {
            char c = sql.charAt(i);
            if (!isTriggerChar(c)) {
                i++;
                continue;
            }
            int start = i;
            while (i < n && isTriggerChar(sql.charAt(i))) {
                i++;
            }
            int length = i - start;
            if (length <= LONGEST_TRIGGER && isTrigger(sql, start, length)) {
                return true;
            }
        }
        return false;
    }

    static boolean isTriggerChar(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_';
    }

    static boolean isTrigger(String sql, int start, int length) {
        char first = (char) (sql.charAt(start) | 0x20);   // ASCII lower case; every trigger starts with a letter
        // Most words are no trigger: one bit test (the trigger first letters of this length) answers them.
        int letter = first - 'a';
        if (letter < 0 || letter > 25 || (TRIGGER_FIRST_LETTERS[length] & (1 << letter)) == 0) {
            return false;
        }
        for (String trigger : TRIGGERS_BY_LENGTH[length]) {
            if (trigger.charAt(0) == first && sql.regionMatches(true, start, trigger, 0, length)) {
                return true;
            }
        }
        return false;
    }
}
