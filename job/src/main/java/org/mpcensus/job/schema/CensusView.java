package org.mpcensus.job.schema;

import java.util.List;

/**
 * A table of the census that is a query over its other tables, declared once: a view in DuckDB and
 * PostgreSQL, and in Flink SQL over the upsert topics. Being a query, it always answers from
 * everything the census holds, whatever runs wrote it.
 *
 * @param name the view's name
 * @param description what a row is, one line
 * @param query the {@code SELECT}, with identifiers quoted in backticks as Flink SQL wants them
 *     (quoted with double quotes in the databases)
 */
public record CensusView(String name, String description, String query) {

    /**
     * The view's {@code SELECT} in a dialect: identifiers quoted as the dialect quotes them, and
     * {@code {DOUBLE}} the dialect's type of a {@link ColumnType#DOUBLE} column.
     */
    public String query(SqlDialect dialect) {
        String q = query.replace("{DOUBLE}", ColumnType.DOUBLE.sql(dialect, 0));
        return dialect == SqlDialect.FLINK ? q : q.replace('`', '"');
    }

    /** The {@code CREATE OR REPLACE VIEW} of a database dialect (DuckDB or PostgreSQL). */
    public String ddl(SqlDialect dialect) {
        return "CREATE OR REPLACE VIEW " + name + " AS " + query(dialect);
    }

    /** The Flink SQL view over the census's upsert topics. */
    public String flinkDdl() {
        return "-- "
                + description
                + "\nCREATE VIEW IF NOT EXISTS "
                + name
                + " AS\n"
                + query(SqlDialect.FLINK)
                + ";\n";
    }

    /** The views, in creation order (a view may read the views before it). */
    public static List<CensusView> all() {
        return CensusSchema.views();
    }
}
