package org.mpcensus.job.http;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.mpcensus.job.sink.CensusDatabase;
import org.mpcensus.probe.event.CaptureTime;
import org.mpcensus.probe.http.HttpTiming;
import org.mpcensus.probe.http.Transport;
import org.mpcensus.udf.scope.HostOfInterest;
import org.mpcensus.udf.scope.Scope;

/**
 * HTTP timing across runs. Every GET is a row of {@code census_http}, numbered after the runs the
 * census holds ({@link #nextRun}), so a later run adds its GETs instead of replacing them; when a
 * bounded run ends, the deltas of the targets it timed are recomputed from every run of theirs
 * ({@link #continueRun}), so {@code census_http_deltas} never holds one run's subset.
 */
public final class HttpMemory {
    private HttpMemory() {}

    /** The number the runs of the next HTTP timing start at: after every run the census holds. */
    public static int nextRun(CensusDatabase db) throws SQLException {
        try (Connection c = db.connect();
                Statement s = c.createStatement();
                ResultSet r =
                        s.executeQuery(
                                "SELECT coalesce(max(run) + 1, 0) FROM "
                                        + HttpTables.HTTP.name())) {
            r.next();
            return r.getInt(1);
        }
    }

    /**
     * Recomputes the deltas of every target that has runs numbered from {@code firstRun} (the
     * run's) from all of its runs in the census.
     *
     * @return how many targets' deltas were recomputed
     */
    public static int continueRun(CensusDatabase staged, int firstRun) throws SQLException {
        Map<String, TreeMap<Integer, List<Get>>> runs = new TreeMap<>();
        try (Connection c = staged.connect();
                PreparedStatement ps =
                        c.prepareStatement(
                                "SELECT h.month, h.host, h.port, h.ip_version, h.asn, h.country,"
                                        + " h.category, h.run, h.transport, h.connect_ms,"
                                        + " h.tls_ms, h.first_byte_ms, h.total_ms, h.mptcp_used,"
                                        + " h.status, h.bytes, h.error, h.started FROM "
                                        + HttpTables.HTTP.name()
                                        + " h JOIN (SELECT DISTINCT month, host, port FROM "
                                        + HttpTables.HTTP.name()
                                        + " WHERE run >= ?) t USING (month, host, port)")) {
            ps.setInt(1, firstRun);
            try (ResultSet r = ps.executeQuery()) {
                while (r.next()) {
                    Scope scope =
                            new Scope(r.getString(1), r.getInt(4), r.getInt(3), -1, r.getLong(5));
                    HostOfInterest target =
                            HostOfInterest.read(
                                    scope, r.getString(2), r.getString(6), r.getString(7));
                    int run = r.getInt(8);
                    HttpTiming timing =
                            new HttpTiming(
                                    Transport.valueOf(r.getString(9)),
                                    doubleOr(r, 10),
                                    doubleOr(r, 11),
                                    doubleOr(r, 12),
                                    doubleOr(r, 13),
                                    r.getBoolean(14),
                                    intOr(r, 15),
                                    r.getLong(16),
                                    r.getString(17));
                    long started =
                            CaptureTime.toMicros(
                                    r.getObject(18, LocalDateTime.class).toInstant(ZoneOffset.UTC));
                    runs.computeIfAbsent(HttpStage.key(target), k -> new TreeMap<>())
                            .computeIfAbsent(run, k -> new ArrayList<>())
                            .add(new Get(target, run, timing, started));
                }
            }
        }
        List<HttpDeltaRow> deltas = new ArrayList<>();
        for (TreeMap<Integer, List<Get>> target : runs.values()) {
            List<HttpRunResult> paired = new ArrayList<>();
            for (List<Get> gets : target.values()) {
                Get mptcp = transport(gets, Transport.MPTCP);
                Get tcp = transport(gets, Transport.TCP);
                if (mptcp != null && tcp != null) {
                    paired.add(
                            new HttpRunResult(
                                    // (which GET went first is not kept; the deltas need not)
                                    new HttpRun(mptcp.target(), mptcp.run(), true),
                                    mptcp.timing(),
                                    tcp.timing(),
                                    Math.min(mptcp.started(), tcp.started())));
                }
            }
            if (!paired.isEmpty()) {
                // The target as its latest run found it (its category can change between runs).
                deltas.add(
                        HttpStage.summarize(paired.get(paired.size() - 1).run().target(), paired));
            }
        }
        try (Connection c = staged.connect()) {
            c.setAutoCommit(false);
            HttpTables.DELTAS.upsertAll(c, deltas);
            c.commit();
        }
        return deltas.size();
    }

    /** One GET of a run, as {@code census_http} holds it. */
    private record Get(HostOfInterest target, int run, HttpTiming timing, long started) {}

    private static Get transport(List<Get> gets, Transport transport) {
        return gets.stream()
                .filter(g -> g.timing().transport() == transport)
                .findFirst()
                .orElse(null);
    }

    private static Double doubleOr(ResultSet r, int column) throws SQLException {
        double v = r.getDouble(column);
        return r.wasNull() ? null : v;
    }

    private static Integer intOr(ResultSet r, int column) throws SQLException {
        int v = r.getInt(column);
        return r.wasNull() ? null : v;
    }
}
