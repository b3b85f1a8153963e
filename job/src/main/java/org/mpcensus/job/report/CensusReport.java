package org.mpcensus.job.report;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.mpcensus.job.report.ReportFigure.Kind;
import org.mpcensus.job.schema.CensusTable;
import org.mpcensus.job.schema.CensusTables;
import org.mpcensus.job.schema.LedgerTables;
import org.mpcensus.job.sink.CensusDatabase;
import org.mpcensus.udf.enrich.AsDirectory;

/**
 * The census as a static report: each {@link #FIGURES figure}'s SQL run on the census database, its
 * rows written as CSV, drawn as SVG and PNG, and all of them put in one HTML page that needs no
 * network to open. A figure whose table is empty is left out with one line saying why. The AS
 * tables name each AS from {@link AsDirectory}.
 */
public final class CensusReport {

    /** The report's figures and tables, in the order of the page. */
    public static final List<ReportFigure> FIGURES =
            List.of(
                    ReportFigure.stackedHosts(
                            "hosts-by-class",
                            "MPTCP-capable hosts per month, IP version, MPTCP version and port, by"
                                    + " classification",
                            "hosts per version and port, split into candidates, mirrored,"
                                    + " different-key and wrong-version hosts (bars)",
                            "census_counts",
                            "classification",
                            "month",
                            "ip_version",
                            "probed_version",
                            "port"),
                    ReportFigure.stackedHosts(
                            "path-categories",
                            "Verified hosts per month, IP version, MPTCP version and port, by path"
                                    + " category",
                            "truly capable, middlebox-affected and unreachable hosts (bars)",
                            "census_path_counts",
                            "category",
                            "month",
                            "ip_version",
                            "probed_version",
                            "port"),
                    new ReportFigure(
                            "key-weights",
                            "Hamming weight of the keys of candidate and suspect hosts, against"
                                    + " Binomial(64, 1/2)",
                            "the sender-key Hamming-weight histogram against the binomial"
                                    + " distribution",
                            Kind.HISTOGRAM,
                            "census_hosts",
                            List.of("weight"),
                            null,
                            List.of("hosts", "expected")),
                    ReportFigure.stackedHosts(
                            "port-overlap",
                            "Candidates on port 80 only, 443 only, or both, per month and MPTCP"
                                    + " version",
                            "port overlap",
                            "census_overlap",
                            "category",
                            "month",
                            "ip_version",
                            "probed_version"),
                    ReportFigure.stackedHosts(
                            "version-overlap",
                            "Candidates for v0 only, v1 only, or both, per month and port",
                            "version overlap",
                            "census_overlap",
                            "category",
                            "month",
                            "ip_version",
                            "port"),
                    ReportFigure.stackedHosts(
                            "migration",
                            "Hosts that moved between v0 and v1 since the month before, per month"
                                    + " and port",
                            "the v0 to v1 migration",
                            "census_overlap",
                            "category",
                            "month",
                            "ip_version",
                            "port"),
                    new ReportFigure(
                            "countries",
                            "Countries of truly capable hosts, per port",
                            "countries of truly capable hosts (top bars with the per-port"
                                    + " numbers)",
                            Kind.BARS,
                            "census_truly_capable",
                            List.of("country"),
                            "port",
                            List.of("hosts")),
                    ReportFigure.topAses(0, 10),
                    ReportFigure.topAses(1, 5),
                    new ReportFigure(
                            "http-deltas",
                            "HTTP(S) timing: median over targets of the per-target median MPTCP"
                                    + " minus TCP, per month, port and category (ms)",
                            "HTTP timing deltas per category and port",
                            Kind.BARS,
                            "census_http_deltas",
                            List.of("month", "port", "category"),
                            null,
                            List.of(
                                    "connect_delta_median",
                                    "tls_delta_median",
                                    "first_byte_delta_median",
                                    "total_delta_median")),
                    new ReportFigure(
                            "traffic-share",
                            "Passive traffic: MPTCP share of TCP flows and bytes per bucket (%),"
                                    + " and the moving average of MPTCP flows",
                            "the MPTCP traffic share over time, with its EWMA",
                            Kind.LINES,
                            "traffic_share",
                            List.of("bucket"),
                            null,
                            List.of("flow_share", "byte_share")),
                    new ReportFigure(
                            "traffic-sizes",
                            "Passive traffic: share of MPTCP bytes in the largest flow, the five"
                                    + " largest and the largest half, per trace",
                            "the MPTCP flow-size distribution",
                            Kind.BARS,
                            "traffic_sizes",
                            List.of("trace"),
                            null,
                            List.of("top1_share", "top5_share", "top_half_share")));

    /** What the report wrote of one figure. */
    public record Written(ReportFigure figure, List<Map<String, Object>> rows, String leftOut) {}

    private final CensusDatabase db;
    private final MonthRange months;
    private final AsDirectory ases;

    public CensusReport(CensusDatabase db, MonthRange months, AsDirectory ases) {
        this.db = db;
        this.months = months;
        this.ases = ases;
    }

    /** Writes the report into a directory: {@code index.html} and each figure's files. */
    public List<Written> write(Path dir) throws IOException, SQLException {
        Files.createDirectories(dir);
        List<Written> written = new ArrayList<>();
        try (Connection c = db.connect()) {
            for (ReportFigure f : FIGURES) {
                if (!hasTable(c, f.needs())) {
                    written.add(new Written(f, List.of(), f.needs() + " is not in this database"));
                    continue;
                }
                List<Map<String, Object>> rows = rows(c, f.sql(months));
                if (rows.isEmpty() || noneCounted(f, rows)) {
                    written.add(
                            new Written(f, List.of(), f.needs() + " has no rows for " + months));
                    continue;
                }
                Files.writeString(
                        dir.resolve(f.name() + ".csv"), csv(rows), StandardCharsets.UTF_8);
                if (f.kind() != Kind.TABLE) {
                    ReportCharts.write(ReportCharts.chart(f, rows), dir, f.name());
                }
                written.add(new Written(f, rows, null));
            }
        }
        Files.writeString(
                dir.resolve("index.html"),
                ReportPage.html(written, months, ases, String.valueOf(db)),
                StandardCharsets.UTF_8);
        return written;
    }

    /**
     * Stores what the AS files say of every AS of the census in {@code census_as_names} (created
     * when missing), so that dashboards can show names; returns how many ASes.
     */
    public int publishNames() throws SQLException {
        if (ases.isEmpty()) {
            return 0;
        }
        db.createSchema();
        CensusTable<AsDirectory.AsInfo> t = LedgerTables.AS_NAMES;
        List<AsDirectory.AsInfo> known = new ArrayList<>();
        try (Connection c = db.connect()) {
            for (Map<String, Object> r :
                    rows(
                            c,
                            "SELECT DISTINCT asn FROM "
                                    + CensusTables.COUNTS.name()
                                    + " ORDER BY asn")) {
                known.add(ases.info(((Number) r.get("asn")).longValue()));
            }
            c.setAutoCommit(false);
            for (int from = 0; from < known.size(); from += 500) {
                List<AsDirectory.AsInfo> batch =
                        known.subList(from, Math.min(known.size(), from + 500));
                try (var ps = c.prepareStatement(t.upsert(batch.size()))) {
                    int column = 1;
                    for (AsDirectory.AsInfo a : batch) {
                        t.bind(ps, column, a);
                        column += t.columnNames().size();
                    }
                    ps.executeUpdate();
                }
            }
            c.commit();
        }
        return known.size();
    }

    /** True when a figure's rows count nothing (a histogram of no keys). */
    private static boolean noneCounted(ReportFigure f, List<Map<String, Object>> rows) {
        String first = f.values().get(0);
        return rows.stream()
                .map(r -> r.get(first))
                .allMatch(v -> v == null || (v instanceof Number n && n.doubleValue() == 0));
    }

    private static boolean hasTable(Connection c, String table) throws SQLException {
        DatabaseMetaData m = c.getMetaData();
        for (String name : List.of(table, table.toUpperCase(Locale.ROOT))) {
            try (ResultSet r = m.getTables(null, null, name, null)) {
                if (r.next()) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The rows of a query, column name (lower case) to value, in order. */
    public static List<Map<String, Object>> rows(Connection c, String sql) throws SQLException {
        List<Map<String, Object>> out = new ArrayList<>();
        try (Statement s = c.createStatement();
                ResultSet r = s.executeQuery(sql)) {
            ResultSetMetaData m = r.getMetaData();
            while (r.next()) {
                Map<String, Object> row = new LinkedHashMap<>();
                for (int i = 1; i <= m.getColumnCount(); i++) {
                    row.put(m.getColumnLabel(i).toLowerCase(Locale.ROOT), r.getObject(i));
                }
                out.add(row);
            }
        }
        return out;
    }

    /** Rows as CSV: a header of the column names, then one line per row (RFC 4180 quoting). */
    public static String csv(List<Map<String, Object>> rows) {
        StringBuilder b = new StringBuilder();
        b.append(String.join(",", rows.get(0).keySet())).append('\n');
        for (Map<String, Object> row : rows) {
            List<String> cells = new ArrayList<>();
            for (Object v : row.values()) {
                cells.add(cell(v));
            }
            b.append(String.join(",", cells)).append('\n');
        }
        return b.toString();
    }

    /** One value as a CSV cell: empty for null, numbers in plain notation. */
    public static String cell(Object v) {
        if (v == null) {
            return "";
        }
        String s;
        if (v instanceof BigDecimal d) {
            s = d.stripTrailingZeros().toPlainString();
        } else if (v instanceof Double || v instanceof Float) {
            s = BigDecimal.valueOf(((Number) v).doubleValue()).stripTrailingZeros().toPlainString();
        } else {
            s = String.valueOf(v);
        }
        if (s.contains(",") || s.contains("\"") || s.contains("\n")) {
            return '"' + s.replace("\"", "\"\"") + '"';
        }
        return s;
    }
}
