package org.mpcensus.job;

import java.io.PrintStream;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.mpcensus.job.schema.CensusTables;
import org.mpcensus.job.sink.CensusDatabase;
import org.mpcensus.udf.enrich.AsNames;

/**
 * The short report {@code replay} prints from the census tables: per probed version and port,
 * replies, responding hosts and how many of them sent MP_CAPABLE, by classification; the top ASes
 * by candidate hosts; dead letters and, among them, the replies that came later than the lateness
 * allows.
 */
public final class CensusSummary {
    private CensusSummary() {}

    /** Queries the database and prints the report. */
    public static void print(CensusDatabase db, PrintStream out) throws SQLException {
        print(db, null, out);
    }

    /** Queries the database and prints the report, with AS names when {@code names} is given. */
    public static void print(CensusDatabase db, AsNames names, PrintStream out)
            throws SQLException {
        try (Connection c = db.connect();
                Statement s = c.createStatement()) {
            out.println(
                    "Census in "
                            + db
                            + " (hosts: distinct responders; each counts under its latest"
                            + " MP_CAPABLE reply, else as NOT_MPTCP)");
            out.printf(
                    "%-8s %6s %9s %8s %10s %9s %8s %11s%n",
                    "version",
                    "port",
                    "replies",
                    "hosts",
                    "mp_capable",
                    "mirrored",
                    "suspect",
                    "candidates");
            try (ResultSet r =
                    s.executeQuery(
                            "SELECT probed_version, port, SUM(replies), SUM(hosts),"
                                    + " SUM(CASE WHEN classification IN ('MIRRORED','WRONG_VERSION',"
                                    + "'SUSPECT_KEY','CANDIDATE') THEN hosts ELSE 0 END),"
                                    + " SUM(CASE WHEN classification = 'MIRRORED' THEN hosts ELSE 0"
                                    + " END), SUM(CASE WHEN classification = 'SUSPECT_KEY' THEN hosts"
                                    + " ELSE 0 END), SUM(CASE WHEN classification = 'CANDIDATE' THEN"
                                    + " hosts ELSE 0 END) FROM "
                                    + CensusTables.COUNTS.name()
                                    + " GROUP BY probed_version, port ORDER BY probed_version, port")) {
                while (r.next()) {
                    out.printf(
                            "%-8s %6d %9d %8d %10d %9d %8d %11d%n",
                            "v" + r.getInt(1),
                            r.getInt(2),
                            r.getLong(3),
                            r.getLong(4),
                            r.getLong(5),
                            r.getLong(6),
                            r.getLong(7),
                            r.getLong(8));
                }
            }
            out.println();
            out.println("Top 10 ASes by candidate hosts");
            out.printf("%-12s %11s%n", "asn", "candidates");
            try (ResultSet r =
                    s.executeQuery(
                            "SELECT asn, SUM(hosts) AS n FROM "
                                    + CensusTables.COUNTS.name()
                                    + " WHERE classification = 'CANDIDATE' GROUP BY asn"
                                    + " HAVING SUM(hosts) > 0 ORDER BY n DESC, asn LIMIT 10")) {
                while (r.next()) {
                    String name = names == null ? null : names.name(r.getLong(1));
                    out.printf(
                            "%-12s %11d%s%n",
                            "AS" + r.getLong(1), r.getLong(2), name == null ? "" : "  " + name);
                }
            }
            out.println();
            try (ResultSet r =
                    s.executeQuery("SELECT COUNT(*) FROM " + CensusTables.DEAD_LETTERS.name())) {
                r.next();
                out.println(
                        "Dead letters: "
                                + r.getLong(1)
                                + " (SELECT source, location, reason FROM "
                                + CensusTables.DEAD_LETTERS.name()
                                + ")");
            }
        }
        printLate(db, out);
    }

    /**
     * Prints how many replies came later than the lateness allows (not counted) and where they are
     * kept.
     */
    public static void printLate(CensusDatabase db, PrintStream out) throws SQLException {
        try (Connection c = db.connect();
                Statement s = c.createStatement();
                ResultSet r =
                        s.executeQuery(
                                "SELECT COUNT(*) FROM "
                                        + CensusTables.DEAD_LETTERS.name()
                                        + LATE)) {
            r.next();
            out.println(
                    "Late replies (past the lateness, not counted): "
                            + r.getLong(1)
                            + " (SELECT * FROM "
                            + CensusTables.DEAD_LETTERS.name()
                            + LATE
                            + ")");
        }
    }

    private static final String LATE = " WHERE reason LIKE '" + CensusPipeline.PAST_LATENESS + "%'";
}
