package io.chgate.sql;

import static org.assertj.core.api.Assertions.assertThat;

import io.chgate.engine.EmbeddedClickHouse;
import io.chgate.engine.EngineException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Differential fuzzing against ClickHouse 26.7's own parser: BI statements with references, mutated at token
 * boundaries (Unicode spaces in and out of ClickHouse's set, Unicode quotes, comments of every form, heredocs,
 * dollar signs in names). The property: every call of a name chgate rewrites or refuses that ClickHouse's
 * {@code EXPLAIN AST} shows, chgate found too, or chgate refused the statement as unreadable. A statement ClickHouse
 * rejects runs nothing, so only the ones it accepts can break the property.
 */
class LexerDifferentialTest {
    static EmbeddedClickHouse engine;
    static final Pattern FUNCTION = Pattern.compile("(?m)^\\s*Function (\\S+)");
    static final String[] SPACES = {"\u00A0", "\u2003", "\u200B", "\u3000", "\uFEFF", "\u2060", "\u1680", "\u2030"};
    static final String[] INSERTS = {"/* x */", "-- x '\n", "// '\n", "# '\n", "#x", "\u2018'\u2019", "\u201C\"\u201D",
        "$a$'$a$", "$ '$", "a$b", "$$", "'", "\n"};

    @BeforeAll
    static void open() {
        engine = OracleEngine.get();
    }

    static String mutate(String sql, Random random) {
        StringBuilder sb = new StringBuilder(sql);
        int mutations = 1 + random.nextInt(3);
        for (int m = 0; m < mutations; m++) {
            List<Integer> spaces = new ArrayList<>();
            for (int i = 0; i < sb.length(); i++) {
                if (sb.charAt(i) == ' ') {
                    spaces.add(i);
                }
            }
            if (spaces.isEmpty()) {
                break;
            }
            int at = spaces.get(random.nextInt(spaces.size()));
            if (random.nextBoolean()) {
                sb.replace(at, at + 1, SPACES[random.nextInt(SPACES.length)]);
            } else {
                sb.insert(at, " " + INSERTS[random.nextInt(INSERTS.length)] + " ");
            }
        }
        return sb.toString();
    }

    static Set<String> calledByClickHouse(String sql) {
        String ast;
        try {
            ast = engine.queryText("EXPLAIN AST " + sql, "TSVRaw");
        } catch (EngineException e) {
            return null;   // rejected: nothing runs
        }
        Set<String> names = new TreeSet<>();
        Matcher m = FUNCTION.matcher(ast);
        while (m.find()) {
            String name = m.group(1);
            if (SourceRegistry.isReferenceCall(name) || SourceRegistry.tableEngine(name) != SourceRegistry.SourceClass.LOCAL
                    && SourceRegistry.isKnownEngine(name)) {
                names.add(name.toLowerCase(Locale.ROOT));
            }
        }
        return names;
    }

    @Test
    void everyCallClickHouseSeesChgateSeesOrRefuses() {
        List<String> seeds = new ArrayList<>();
        for (BiCorpusTest.Case c : BiCorpusTest.cases()) {
            if (c.expectedReferences() > 0 && !c.sql().startsWith("EXPLAIN") && !c.sql().contains("{id:")) {
                seeds.add(c.sql());
            }
        }
        Random random = new Random(20261124);
        int accepted = 0;
        int checked = 0;
        for (int i = 0; i < 400; i++) {
            String sql = mutate(seeds.get(random.nextInt(seeds.size())), random);
            Set<String> clickhouse = calledByClickHouse(sql);
            if (clickhouse == null) {
                continue;
            }
            accepted++;
            List<Reference> found;
            try {
                found = SqlRewriter.analyze(sql);
            } catch (SqlParseException e) {
                continue;   // refused as unreadable: nothing reaches ClickHouse
            }
            checked++;
            Set<String> chgate = new TreeSet<>();
            found.forEach(r -> chgate.add(r.name().toLowerCase(Locale.ROOT)));
            assertThat(chgate).as(sql).containsAll(clickhouse);
        }
        System.out.println("lexer differential: " + accepted + " mutated statements accepted by ClickHouse, " + checked
                + " read by chgate and compared, the rest refused as unreadable");
        assertThat(accepted).as("mutated statements ClickHouse accepted").isGreaterThan(100);
        assertThat(checked).as("of those, read by chgate and compared").isGreaterThan(50);
    }
}
