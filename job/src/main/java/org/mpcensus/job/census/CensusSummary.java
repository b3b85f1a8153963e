package org.mpcensus.job.census;

import java.io.PrintStream;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.mpcensus.job.http.HttpTables;
import org.mpcensus.job.path.PathTables;
import org.mpcensus.job.schema.CensusTables;
import org.mpcensus.job.sink.CensusDatabase;
import org.mpcensus.udf.classify.Classification;
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
                            + " (hosts: distinct responders of the month; each counts under its"
                            + " latest MP_CAPABLE reply, else as NOT_MPTCP)");
            StringBuilder header =
                    new StringBuilder(
                            String.format(
                                    "%-7s %-7s %5s %9s %8s",
                                    "month", "version", "port", "replies", "hosts"));
            StringBuilder perClass = new StringBuilder();
            for (Classification k : Classification.values()) {
                header.append(String.format(" %" + width(k) + "s", column(k)));
                perClass.append(", SUM(CASE WHEN classification = '")
                        .append(k.name())
                        .append("' THEN hosts ELSE 0 END)");
            }
            out.println(header);
            try (ResultSet r =
                    s.executeQuery(
                            "SELECT month, probed_version, port, SUM(replies), SUM(hosts)"
                                    + perClass
                                    + " FROM "
                                    + CensusTables.COUNTS.name()
                                    + " GROUP BY month, probed_version, port"
                                    + " ORDER BY month, probed_version, port")) {
                while (r.next()) {
                    StringBuilder line =
                            new StringBuilder(
                                    String.format(
                                            "%-7s %-7s %5d %9d %8d",
                                            r.getString(1),
                                            "v" + r.getInt(2),
                                            r.getInt(3),
                                            r.getLong(4),
                                            r.getLong(5)));
                    int col = 6;
                    for (Classification k : Classification.values()) {
                        line.append(String.format(" %" + width(k) + "d", r.getLong(col++)));
                    }
                    out.println(line);
                }
            }
            out.println();
            out.println("Top 10 ASes by candidate host-months");
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
        printPaths(db, out);
        printHttp(db, out);
        printLate(db, out);
    }

    /**
     * Prints the HTTP(S) timing per month, port and category, when hosts were timed: targets, how
     * many answered and stayed MPTCP, and the median over targets of their median total-time delta
     * (MPTCP minus TCP).
     */
    public static void printHttp(CensusDatabase db, PrintStream out) throws SQLException {
        try (Connection c = db.connect();
                Statement s = c.createStatement();
                ResultSet r =
                        s.executeQuery(
                                "SELECT month, port, category, COUNT(*),"
                                        + " SUM(CASE WHEN answered_runs > 0 THEN 1 ELSE 0 END),"
                                        + " SUM(CASE WHEN mptcp_runs > 0 THEN 1 ELSE 0 END),"
                                        + " percentile_cont(0.5) WITHIN GROUP (ORDER BY"
                                        + " total_delta_ms) FROM "
                                        + HttpTables.DELTAS.name()
                                        + " GROUP BY month, port, category"
                                        + " ORDER BY month, port, category")) {
            boolean header = false;
            while (r.next()) {
                if (!header) {
                    out.println();
                    out.println(
                            "HTTP(S) timing, MPTCP - TCP (SELECT * FROM "
                                    + HttpTables.DELTAS.name()
                                    + ")");
                    out.printf(
                            "%-7s %5s %-18s %7s %8s %5s %17s%n",
                            "month",
                            "port",
                            "category",
                            "targets",
                            "answered",
                            "mptcp",
                            "median_total_ms");
                    header = true;
                }
                double median = r.getDouble(7);
                out.printf(
                        "%-7s %5d %-18s %7d %8d %5d %17s%n",
                        r.getString(1),
                        r.getInt(2),
                        r.getString(3),
                        r.getLong(4),
                        r.getLong(5),
                        r.getLong(6),
                        r.wasNull() ? "-" : String.format("%+.1f", median));
            }
        }
    }

    /**
     * Prints the path verdicts per month, version and port, when hosts were verified: the published
     * studies' "true support" is the {@code truly_capable} column.
     */
    public static void printPaths(CensusDatabase db, PrintStream out) throws SQLException {
        try (Connection c = db.connect();
                Statement s = c.createStatement();
                ResultSet r =
                        s.executeQuery(
                                "SELECT month, probed_version, port, SUM(hosts),"
                                        + " SUM(CASE WHEN category = 'TRULY_CAPABLE' THEN hosts ELSE 0 END),"
                                        + " SUM(CASE WHEN category = 'MIDDLEBOX_AFFECTED' THEN hosts ELSE 0 END),"
                                        + " SUM(CASE WHEN category = 'UNREACHABLE' THEN hosts ELSE 0 END),"
                                        + " SUM(CASE WHEN category = 'NOT_MPTCP' THEN hosts ELSE 0 END)"
                                        + " FROM "
                                        + PathTables.PATH_COUNTS.name()
                                        + " GROUP BY month, probed_version, port"
                                        + " ORDER BY month, probed_version, port")) {
            boolean header = false;
            while (r.next()) {
                if (!header) {
                    out.println();
                    out.println("Verified paths (SELECT * FROM " + PathTables.PATHS.name() + ")");
                    out.printf(
                            "%-7s %-7s %5s %8s %13s %18s %11s %9s%n",
                            "month",
                            "version",
                            "port",
                            "verified",
                            "truly_capable",
                            "middlebox_affected",
                            "unreachable",
                            "not_mptcp");
                    header = true;
                }
                out.printf(
                        "%-7s %-7s %5d %8d %13d %18d %11d %9d%n",
                        r.getString(1),
                        "v" + r.getInt(2),
                        r.getInt(3),
                        r.getLong(4),
                        r.getLong(5),
                        r.getLong(6),
                        r.getLong(7),
                        r.getLong(8));
            }
            if (!header) {
                return;
            }
        }
        try (Connection c = db.connect();
                Statement s = c.createStatement();
                ResultSet r =
                        s.executeQuery(
                                "SELECT asn, COUNT(*) AS n,"
                                        + " SUM(CASE WHEN consistent THEN 1 ELSE 0 END) FROM "
                                        + PathTables.TRULY_CAPABLE.name()
                                        + " GROUP BY asn ORDER BY n DESC, asn LIMIT 10")) {
            out.println();
            out.println(
                    "Top 10 ASes by truly capable host-months (final classification CANDIDATE,"
                            + " path TRULY_CAPABLE: "
                            + PathTables.TRULY_CAPABLE.name()
                            + "; consistent too: "
                            + PathTables.TRUE_SUPPORT.name()
                            + ")");
            out.printf("%-12s %13s %12s%n", "asn", "truly_capable", "true_support");
            while (r.next()) {
                out.printf("%-12s %13d %12d%n", "AS" + r.getLong(1), r.getLong(2), r.getLong(3));
            }
        }
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

    /** The column of a classification: its name in lower case. */
    private static String column(Classification c) {
        return c.name().toLowerCase(java.util.Locale.ROOT);
    }

    private static int width(Classification c) {
        return Math.max(7, column(c).length());
    }

    private static final String LATE = " WHERE reason LIKE '" + CensusPipeline.PAST_LATENESS + "%'";
}
