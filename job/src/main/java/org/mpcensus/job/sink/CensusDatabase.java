package org.mpcensus.job.sink;

import java.io.Serializable;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.jdbc.JdbcConnectionOptions;
import org.mpcensus.job.schema.CensusSchema;
import org.mpcensus.job.schema.CensusTable;
import org.mpcensus.job.schema.CensusTables;
import org.mpcensus.job.schema.CensusView;
import org.mpcensus.job.schema.SqlDialect;

/**
 * The database that holds the census tables: an embedded DuckDB file (the default) or PostgreSQL,
 * with the dialect differences between them. Creates the schema ({@link CensusTables}) on start.
 *
 * @param dialect which database
 * @param jdbcUrl the JDBC URL
 * @param user the user, or null
 * @param password the password, or null
 * @param runId the run that writes the census through this handle ({@link CensusRun}), recorded
 *     with the rows of the census's memory; null outside a run
 */
public record CensusDatabase(
        Dialect dialect, String jdbcUrl, String user, String password, String runId)
        implements Serializable {

    public CensusDatabase(Dialect dialect, String jdbcUrl, String user, String password) {
        this(dialect, jdbcUrl, user, password, null);
    }

    /** The same database, written by a run. */
    public CensusDatabase inRun(String id) {
        return new CensusDatabase(dialect, jdbcUrl, user, password, id);
    }

    /** The databases mpcensus writes to. */
    public enum Dialect {
        DUCKDB("org.duckdb.DuckDBDriver", SqlDialect.DUCKDB),
        POSTGRES("org.postgresql.Driver", SqlDialect.POSTGRES);

        final String driver;

        /** The dialect the tables are declared in. */
        public final SqlDialect sql;

        Dialect(String driver, SqlDialect sql) {
            this.driver = driver;
            this.sql = sql;
        }
    }

    /** Resolves {@link SinkOptions} (and the credential environment variables). */
    public static CensusDatabase fromConfiguration(Configuration conf) {
        String url = conf.get(SinkOptions.URL);
        String user =
                conf.getOptional(SinkOptions.USER)
                        .orElseGet(() -> env("MPCENSUS_DB_USER", "PGUSER"));
        String password =
                conf.getOptional(SinkOptions.PASSWORD)
                        .orElseGet(() -> env("MPCENSUS_DB_PASSWORD", "PGPASSWORD"));
        return of(url, user, password);
    }

    /**
     * Parses a sink URL: {@code duckdb:PATH}, {@code jdbc:duckdb:PATH} or {@code
     * jdbc:postgresql:...}.
     */
    public static CensusDatabase of(String url, String user, String password) {
        if (url.startsWith("duckdb:")) {
            return new CensusDatabase(Dialect.DUCKDB, "jdbc:" + url, null, null);
        }
        if (url.startsWith("jdbc:duckdb:")) {
            return new CensusDatabase(Dialect.DUCKDB, url, null, null);
        }
        if (url.startsWith("jdbc:postgresql:")) {
            return new CensusDatabase(Dialect.POSTGRES, url, user, password);
        }
        throw new IllegalArgumentException(
                "sink '" + url + "' is neither duckdb:PATH nor jdbc:postgresql://HOST:PORT/DB");
    }

    private static String env(String first, String second) {
        String v = System.getenv(first);
        return v != null ? v : System.getenv(second);
    }

    /** A new connection (the caller closes it). */
    public Connection connect() throws SQLException {
        Properties p = new Properties();
        if (user != null) {
            p.setProperty("user", user);
        }
        if (password != null) {
            p.setProperty("password", password);
        }
        try {
            Class.forName(dialect.driver);
        } catch (ClassNotFoundException e) {
            throw new SQLException(
                    dialect == Dialect.DUCKDB
                            ? "DuckDB is not on the class path: the cluster jar"
                                    + " (mpcensus-cluster.jar) leaves it out; on a cluster, write"
                                    + " PostgreSQL (mpcensus.sink.url: jdbc:postgresql://...)"
                            : "JDBC driver " + dialect.driver + " is not on the class path",
                    e);
        }
        return DriverManager.getConnection(jdbcUrl, p);
    }

    /** Connection options for flink-connector-jdbc sinks. */
    public JdbcConnectionOptions connectionOptions() {
        JdbcConnectionOptions.JdbcConnectionOptionsBuilder b =
                new JdbcConnectionOptions.JdbcConnectionOptionsBuilder()
                        .withUrl(jdbcUrl)
                        .withDriverName(dialect.driver);
        if (user != null) {
            b.withUsername(user);
        }
        if (password != null) {
            b.withPassword(password);
        }
        return b.build();
    }

    /** Creates the census tables if they do not exist. */
    public void createSchema() throws SQLException {
        try (Connection c = connect();
                Statement s = c.createStatement()) {
            for (CensusTable<?> t : CensusSchema.withRuns()) {
                s.execute(t.ddl(dialect.sql));
            }
            for (CensusView v : CensusSchema.views()) {
                // A census written before the view existed holds a table of that name, whose
                // rows the view computes from the census.
                if (isTable(c, v.name())) {
                    s.execute("DROP TABLE " + v.name());
                }
                s.execute(v.ddl(dialect.sql));
            }
        }
    }

    /** Whether the current schema has a table (not a view) of that name. */
    private static boolean isTable(Connection c, String name) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement(
                        "SELECT COUNT(*) FROM information_schema.tables WHERE table_name = ? AND"
                                + " table_schema = current_schema() AND table_type = 'BASE TABLE'")) {
            ps.setString(1, name);
            try (ResultSet r = ps.executeQuery()) {
                return r.next() && r.getLong(1) > 0;
            }
        }
    }

    /** True when writes must go through one connection at a time (DuckDB: one writer per file). */
    public boolean singleWriter() {
        return dialect == Dialect.DUCKDB;
    }

    /** The URL without credentials, for messages. */
    @Override
    public String toString() {
        return jdbcUrl;
    }
}
