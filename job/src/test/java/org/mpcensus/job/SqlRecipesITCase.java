package org.mpcensus.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.types.Row;
import org.apache.flink.types.RowKind;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.mpcensus.job.census.AnalysisJob;
import org.mpcensus.job.census.PublishJob;
import org.mpcensus.job.census.ReplayJob;
import org.mpcensus.job.kafka.KafkaOptions;
import org.mpcensus.job.schema.CensusSchema;
import org.mpcensus.job.schema.CensusTable;
import org.mpcensus.job.sink.CensusDatabase;
import org.mpcensus.job.sink.DatabaseOutput;
import org.mpcensus.job.sink.SinkOptions;
import org.mpcensus.job.sql.SqlSession;
import org.mpcensus.job.testing.Replays;
import org.mpcensus.job.testing.Servers;
import org.mpcensus.sql.Recipes;

/**
 * Every SQL recipe, run by Flink SQL over the upsert-kafka topics and over the PostgreSQL JDBC
 * catalog that {@code mpcensus sql} sets up, gives the rows PostgreSQL itself computes from the
 * census tables, after a backfill of the sample archive through a real broker.
 */
class SqlRecipesITCase {
    @RegisterExtension static final Servers SERVERS = new Servers();

    static final String RUN = "recipes" + Long.toHexString(System.currentTimeMillis());
    static Configuration conf;
    static CensusDatabase db;

    @BeforeAll
    static void backfill() throws Exception {
        conf = Replays.kafka(SERVERS.kafka(), SERVERS.postgres().createDatabase("recipes"), RUN);
        conf.set(KafkaOptions.TABLE_TOPIC_PREFIX, RUN + ".");
        // The test server trusts loopback; the catalog still wants a password.
        conf.set(SinkOptions.PASSWORD, "unused");
        Configuration publish = new Configuration(conf);
        publish.set(KafkaOptions.PUBLISH, true);
        PublishJob.replay(
                ReplayJob.sourceFor(List.of(Replays.sample().toString()), publish), publish);
        SERVERS.kafka().awaitCommitted(conf.get(KafkaOptions.REPLIES_TOPIC));
        Configuration analysis = new Configuration(conf);
        analysis.set(KafkaOptions.BOUNDED, true);
        db = CensusDatabase.fromConfiguration(analysis);
        AnalysisJob.fromConfiguration(new DatabaseOutput(db, analysis), analysis).run();
        for (CensusTable<?> t : CensusSchema.topics()) {
            SERVERS.kafka().awaitCommitted(RUN + "." + t.name());
        }
    }

    /** A session as mpcensus sql opens it, with the topics read up to their current end. */
    static TableEnvironment session() throws Exception {
        return session(EnvironmentSettings.inStreamingMode());
    }

    static TableEnvironment session(EnvironmentSettings mode) throws Exception {
        TableEnvironment env = TableEnvironment.create(mode);
        SqlSession.open(env, conf);
        for (CensusTable<?> t : CensusSchema.topics()) {
            env.executeSql(
                    "ALTER TABLE " + t.name() + " SET ('scan.bounded.mode' = 'latest-offset')");
        }
        return env;
    }

    /** The final rows of a query's changelog, normalized. */
    static List<String> rows(TableEnvironment env, String sql) throws Exception {
        Map<String, Integer> live = new HashMap<>();
        try (CloseableIterator<Row> it = env.sqlQuery(sql).execute().collect()) {
            while (it.hasNext()) {
                Row r = it.next();
                RowKind kind = r.getKind();
                r.setKind(RowKind.INSERT);
                List<Object> values = new ArrayList<>();
                for (int i = 0; i < r.getArity(); i++) {
                    values.add(r.getField(i));
                }
                String key = normalize(values);
                int delta = kind == RowKind.INSERT || kind == RowKind.UPDATE_AFTER ? 1 : -1;
                live.merge(key, delta, Integer::sum);
            }
        }
        List<String> out = new ArrayList<>();
        live.forEach(
                (k, n) -> {
                    for (int i = 0; i < n; i++) {
                        out.add(k);
                    }
                });
        out.sort(null);
        return out;
    }

    static String normalize(List<Object> values) {
        List<String> s = new ArrayList<>();
        for (Object v : values) {
            if (v instanceof Number n) {
                s.add(
                        new BigDecimal(n.toString())
                                .round(new MathContext(9))
                                .stripTrailingZeros()
                                .toPlainString());
            } else {
                s.add(String.valueOf(v));
            }
        }
        return String.join("|", s);
    }

    /** The recipe run by PostgreSQL itself. */
    static List<String> postgresRows(String recipe) throws Exception {
        String sql = recipe.replace('`', '"').replace(" AS DOUBLE)", " AS DOUBLE PRECISION)");
        List<String> out = new ArrayList<>();
        try (Connection c = db.connect();
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery(sql)) {
            int n = r.getMetaData().getColumnCount();
            while (r.next()) {
                List<Object> values = new ArrayList<>();
                for (int i = 1; i <= n; i++) {
                    values.add(r.getObject(i));
                }
                out.add(normalize(values));
            }
        }
        out.sort(null);
        return out;
    }

    @Test
    void aRecipeRunOnceOverPostgresPrintsItsFinalTableAndExits() throws Exception {
        String name = "top-ases-v1-443";
        Path recipe = Path.of("../sql/src/main/resources/mpcensus/sql/recipes/" + name + ".sql");
        ProcessBuilder b =
                new ProcessBuilder(
                                Path.of("../mpcensus").toAbsolutePath().toString(),
                                "sql",
                                "--postgres",
                                db.jdbcUrl(),
                                "--once",
                                "-f",
                                recipe.toAbsolutePath().toString())
                        .redirectErrorStream(true);
        b.environment().put("MPCENSUS_DB_PASSWORD", "unused");
        Process p = b.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(180, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        // The table the client printed: its rows after the header, cells normalized.
        List<String> printed = new ArrayList<>();
        boolean header = true;
        for (String line : out.lines().toList()) {
            if (!line.startsWith("|")) {
                continue;
            }
            if (header) {
                header = false;
                continue;
            }
            List<Object> cells = new ArrayList<>();
            for (String cell : line.substring(1, line.length() - 1).split("\\|")) {
                String c = cell.strip();
                cells.add(
                        c.equals("<NULL>")
                                ? null
                                : c.matches("-?[0-9.]+(E-?[0-9]+)?") ? new BigDecimal(c) : c);
            }
            printed.add(normalize(cells));
        }
        printed.sort(null);
        List<String> want = postgresRows(Recipes.load(name));
        assertThat(want).as("rows of " + name + " on the sample").isNotEmpty();
        assertThat(printed).as(out).isEqualTo(want);
    }

    @Test
    void everyRecipeAgreesOverKafkaOverTheJdbcCatalogAndInPostgres() throws Exception {
        TableEnvironment overKafka = session();
        TableEnvironment overCatalog = session();
        overCatalog.useCatalog(SqlSession.CATALOG);
        int nonEmpty = 0;
        for (String name : Recipes.ALL) {
            String recipe = Recipes.load(name);
            List<String> want = postgresRows(recipe);
            assertThat(rows(overCatalog, recipe))
                    .as(name + " over the JDBC catalog")
                    .isEqualTo(want);
            assertThat(rows(overKafka, recipe)).as(name + " over upsert-kafka").isEqualTo(want);
            nonEmpty += want.isEmpty() ? 0 : 1;
        }
        assertThat(nonEmpty).as("recipes with rows on the sample").isGreaterThanOrEqualTo(7);
    }

    @Test
    void theRawReplyTableReadsTheTopicInEventTimeWithTheFunctions() throws Exception {
        // A batch query over the topic up to its end (the watermark matters to windows only).
        TableEnvironment env = session(EnvironmentSettings.inBatchMode());
        env.executeSql("ALTER TABLE replies SET ('scan.bounded.mode' = 'latest-offset')");
        List<String> got =
                rows(
                        env,
                        "SELECT probed_version, COUNT(*), MIN(capture_time) IS NOT NULL,"
                                + " SUM(CASE WHEN mp_capable(options) IS NOT NULL THEN 1 ELSE 0 END)"
                                + " FROM replies GROUP BY probed_version");
        List<String> want =
                postgresRows(
                        "SELECT probed_version, SUM(replies), TRUE, SUM(CASE WHEN classification"
                                + " IN ('MIRRORED', 'WRONG_VERSION', 'SUSPECT_KEY', 'CANDIDATE')"
                                + " THEN replies ELSE 0 END) FROM census_counts GROUP BY"
                                + " probed_version");
        assertThat(got).isEqualTo(want);
    }
}
