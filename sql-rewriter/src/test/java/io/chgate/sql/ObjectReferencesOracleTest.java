package io.chgate.sql;

import static org.assertj.core.api.Assertions.assertThat;

import io.chgate.engine.EmbeddedClickHouse;
import io.chgate.engine.EngineException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Parity with ClickHouse 26's own parser: every table its {@code EXPLAIN AST} names ({@code TableIdentifier}: the
 * tables after FROM and JOIN, and the targets of DDL) is one {@link ObjectReferences} reports — over the BI corpus
 * and, when {@code CHGATE_CORPUS} is set, the public corpus. A statement ObjectReferences refuses is refused whole
 * (default deny) and needs no names; a CTE's own name is the statement's, not an object.
 */
class ObjectReferencesOracleTest {
    private static final Pattern TABLE = Pattern.compile("^\\s*TableIdentifier (\\S+)(?: \\(alias .*\\))?$",
            Pattern.MULTILINE);

    @Test
    void everyTableTheEnginesParserSeesIsReported() {
        EmbeddedClickHouse engine = OracleEngine.get();
        List<String> statements = new ArrayList<>();
        for (String template : BiCorpusTest.blocks("queries.sql")) {
            statements.add(template.replace("{src}", "analytics.orders"));
        }
        statements.addAll(BiCorpusTest.blocks("introspection.sql"));
        statements.addAll(BiCorpusTest.blocks("ddl.sql"));
        statements.addAll(PublicCorpus.statements());
        int compared = 0;
        List<String> missed = new ArrayList<>();
        for (String sql : statements) {
            String ast;
            try {
                ast = engine.queryText("EXPLAIN AST " + sql, "TSVRaw");
            } catch (EngineException e) {
                continue;   // the engine does not read it either (or EXPLAIN does not take it)
            }
            ObjectReferences.Result result;
            try {
                result = ObjectReferences.of(sql);
            } catch (SqlParseException e) {
                continue;   // unreadable text is refused by the statement policy before this
            }
            if (result.refusal() != null) {
                continue;
            }
            compared++;
            Matcher m = TABLE.matcher(ast);
            while (m.find()) {
                String name = m.group(1).replace("`", "");
                if (!reported(result, name) && !isCte(sql, name)) {
                    missed.add(name + " in: " + sql);
                }
            }
        }
        assertThat(compared).isGreaterThan(50);
        assertThat(missed).as("tables the engine's parser names that ObjectReferences does not").isEmpty();
    }

    private static boolean reported(ObjectReferences.Result result, String name) {
        int dot = name.indexOf('.');
        return result.refs().stream().anyMatch(ref -> !ref.isDatabase() && (dot < 0
                ? ref.database() == null && ref.name().equals(name)
                : name.substring(0, dot).equals(ref.database()) && name.substring(dot + 1).equals(ref.name())));
    }

    private static boolean isCte(String sql, String name) {
        return name.indexOf('.') < 0 && Pattern.compile("(?i)(?:\\bWITH|,)\\s*[`\"]?" + Pattern.quote(name)
                + "[`\"]?\\s+AS\\s*\\(").matcher(sql).find();
    }
}
