package org.mpcensus.job.sql;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.table.api.TableEnvironment;
import org.mpcensus.job.kafka.KafkaOptions;
import org.mpcensus.job.sink.CensusDatabase;
import org.mpcensus.sql.Ddl;
import org.mpcensus.udf.enrich.EnrichmentOptions;

/**
 * The statements that open a Flink SQL session on mpcensus's data: the job parameters the SQL
 * functions read, the functions, the raw-reply Kafka table, the census tables' upsert-kafka topics,
 * and the PostgreSQL JDBC catalog, each when the configuration reaches it. The same statements
 * serve {@code mpcensus sql} (as the SQL client's init file) and the tests.
 */
public final class SqlSession {
    /** The name of the PostgreSQL JDBC catalog. */
    public static final String CATALOG = "census";

    private SqlSession() {}

    /** The session settings: the job parameters the SQL functions read their files from. */
    public static Map<String, String> settings(Configuration conf) {
        List<String> parameters = new ArrayList<>();
        for (ConfigOption<String> o :
                List.of(
                        EnrichmentOptions.ASN_TABLE,
                        EnrichmentOptions.COUNTRY_DB,
                        EnrichmentOptions.AS_NAMES)) {
            conf.getOptional(o).ifPresent(file -> parameters.add(o.key() + ":" + file));
        }
        return parameters.isEmpty()
                ? Map.of()
                : Map.of("pipeline.global-job-parameters", String.join(",", parameters));
    }

    /**
     * The SQL client's init file of a streaming session (the settings as SET commands, then the
     * statements), as the SQL Gateway's sessions use it.
     */
    public static String initFile(Configuration conf) throws IOException {
        return initFile(conf, true);
    }

    /**
     * The SQL client's init file.
     *
     * @param streaming whether the session runs streaming queries: only then are the views over the
     *     topics declared (Flink validates a view when it is created, and a batch session refuses
     *     its unbounded topics)
     */
    public static String initFile(Configuration conf, boolean streaming) throws IOException {
        StringBuilder out = new StringBuilder();
        for (Map.Entry<String, String> e : settings(conf).entrySet()) {
            out.append("SET '")
                    .append(e.getKey())
                    .append("' = '")
                    .append(e.getValue().replace("'", "''"))
                    .append("';\n");
        }
        for (String statement : statements(conf, streaming)) {
            out.append(statement).append(";\n");
        }
        return out.toString();
    }

    /** Opens the session in a table environment. */
    public static void open(TableEnvironment env, Configuration conf) throws IOException {
        settings(conf).forEach((k, v) -> env.getConfig().getConfiguration().setString(k, v));
        boolean streaming =
                env.getConfig().get(ExecutionOptions.RUNTIME_MODE) != RuntimeExecutionMode.BATCH;
        for (String statement : statements(conf, streaming)) {
            env.executeSql(statement);
        }
    }

    /** The functions, the Kafka tables and the PostgreSQL catalog the configuration reaches. */
    public static List<String> statements(Configuration conf, boolean streaming)
            throws IOException {
        List<String> statements = new ArrayList<>();
        statements.addAll(Ddl.statements(Ddl.load("functions", Map.of())));
        if (conf.getOptional(KafkaOptions.BOOTSTRAP_SERVERS).isPresent()) {
            Map<String, String> kafka = new HashMap<>();
            kafka.put("bootstrap", conf.get(KafkaOptions.BOOTSTRAP_SERVERS));
            kafka.put("replies_topic", conf.get(KafkaOptions.REPLIES_TOPIC));
            statements.addAll(Ddl.statements(Ddl.load("replies", kafka)));
            String prefix = conf.get(KafkaOptions.TABLE_TOPIC_PREFIX);
            if (prefix != null) {
                kafka.put("table_topic_prefix", prefix);
                for (String statement : Ddl.statements(Ddl.load("tables-kafka", kafka))) {
                    if (streaming || !statement.startsWith("CREATE VIEW")) {
                        statements.add(statement);
                    }
                }
            }
        }
        if (declaresCatalog(conf)) {
            statements.addAll(
                    Ddl.statements(
                            Ddl.load(
                                    "catalog-postgres",
                                    catalog(CensusDatabase.fromConfiguration(conf)))));
        }
        return statements;
    }

    /** Whether the session declares the PostgreSQL catalog: the sink is PostgreSQL. */
    public static boolean declaresCatalog(Configuration conf) {
        return CensusDatabase.fromConfiguration(conf).dialect() == CensusDatabase.Dialect.POSTGRES;
    }

    /** The catalog settings of a PostgreSQL URL; user and password may be in its query. */
    static Map<String, String> catalog(CensusDatabase db) {
        URI uri = URI.create(db.jdbcUrl().substring("jdbc:".length()));
        Map<String, String> query = new HashMap<>();
        if (uri.getRawQuery() != null) {
            for (String kv : uri.getRawQuery().split("&")) {
                int eq = kv.indexOf('=');
                if (eq > 0) {
                    query.put(kv.substring(0, eq), kv.substring(eq + 1));
                }
            }
        }
        Map<String, String> s = new HashMap<>();
        s.put("jdbc_base_url", "jdbc:postgresql://" + uri.getAuthority());
        s.put("database", uri.getPath().substring(1));
        s.put("user", db.user() != null ? db.user() : query.getOrDefault("user", "postgres"));
        String password = db.password() != null ? db.password() : query.get("password");
        if (password == null || password.isBlank()) {
            throw new IllegalArgumentException(
                    "the PostgreSQL catalog needs a password: set MPCENSUS_DB_PASSWORD (or"
                            + " mpcensus.sink.password)");
        }
        s.put("password", password);
        return s;
    }
}
