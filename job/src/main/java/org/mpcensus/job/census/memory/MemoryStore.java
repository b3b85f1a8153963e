package org.mpcensus.job.census.memory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.IntPredicate;
import java.util.stream.Collectors;
import org.mpcensus.job.schema.CensusTable;
import org.mpcensus.job.schema.CensusTables;
import org.mpcensus.job.schema.LedgerTables;
import org.mpcensus.job.sink.CensusDatabase;
import org.mpcensus.probe.event.CaptureTime;
import org.mpcensus.probe.event.ReplyType;
import org.mpcensus.udf.aggregate.AddressSet;
import org.mpcensus.udf.aggregate.PlainResponders;
import org.mpcensus.udf.classify.Classification;
import org.mpcensus.udf.classify.ClassifiedReply;
import org.mpcensus.udf.month.Months;
import org.mpcensus.udf.scope.Scope;

/**
 * The SQL over the census's memory ({@code census_replies}, {@code census_plain}) and the tables a
 * continuation rewrites: which months a run holds, whether other runs hold them, their replies and
 * plain responders, and the rows of months.
 */
final class MemoryStore {
    private MemoryStore() {}

    /** The sorted fingerprints of a table's rows of the months. */
    static long[] fingerprints(CensusDatabase db, CensusTable<?> table, Set<String> months)
            throws SQLException {
        if (months.isEmpty()) {
            return new long[0];
        }
        long[] out = new long[1024];
        int n = 0;
        try (Connection c = db.connect();
                Statement s = c.createStatement();
                ResultSet r =
                        s.executeQuery(
                                "SELECT * FROM "
                                        + table.name()
                                        + " WHERE month IN "
                                        + quoted(months))) {
            while (r.next()) {
                if (n == out.length) {
                    out = Arrays.copyOf(out, n * 2);
                }
                out[n++] = table.fingerprint(r);
            }
        }
        out = Arrays.copyOf(out, n);
        Arrays.sort(out);
        return out;
    }

    /** The months of the run's memory rows. */
    static List<Integer> monthsOf(Connection c, String runId) throws SQLException {
        List<Integer> months = new ArrayList<>();
        try (PreparedStatement ps =
                c.prepareStatement(
                        "SELECT DISTINCT month FROM "
                                + LedgerTables.REPLIES.name()
                                + " WHERE run_id = ? UNION SELECT DISTINCT month FROM "
                                + LedgerTables.PLAIN.name()
                                + " WHERE run_id = ?")) {
            ps.setString(1, runId);
            ps.setString(2, runId);
            try (ResultSet r = ps.executeQuery()) {
                while (r.next()) {
                    months.add(Months.index(r.getString(1)));
                }
            }
        }
        return months;
    }

    /** Whether the memory holds rows of other runs in the months. */
    static boolean othersHold(Connection c, String runId, Set<Integer> months) throws SQLException {
        for (CensusTable<?> t : LedgerTables.MEMORY) {
            try (PreparedStatement ps =
                    c.prepareStatement(
                            "SELECT 1 FROM "
                                    + t.name()
                                    + " WHERE run_id <> ? AND month IN "
                                    + inList(months)
                                    + " LIMIT 1")) {
                ps.setString(1, runId);
                try (ResultSet r = ps.executeQuery()) {
                    if (r.next()) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /** {@code ('2026-08', '2026-09')}: months are digits and a dash, so they are quoted as is. */
    static String inList(Set<Integer> months) {
        return quoted(months.stream().map(Months::month).toList());
    }

    /** The same of month names. */
    static String quoted(java.util.Collection<String> months) {
        return months.stream().map(m -> "'" + m + "'").collect(Collectors.joining(", ", "(", ")"));
    }

    static void deleteMonths(
            Statement s, CensusTable<?> table, TreeSet<Integer> loaded, IntPredicate keep)
            throws SQLException {
        Set<Integer> months = new TreeSet<>();
        for (int m : loaded) {
            if (keep.test(m)) {
                months.add(m);
            }
        }
        if (!months.isEmpty()) {
            s.execute("DELETE FROM " + table.name() + " WHERE month IN " + inList(months));
        }
    }

    /** The replies of the MPTCP path the memory holds for the months, of every run. */
    static List<ClassifiedReply> replies(Connection c, Set<Integer> months) throws SQLException {
        List<ClassifiedReply> out = new ArrayList<>();
        try (Statement s = c.createStatement();
                ResultSet r =
                        s.executeQuery(
                                "SELECT capture_time, month, ip_version, host, port,"
                                        + " probed_version, reply_type, classification,"
                                        + " mptcp_version, sender_key, key_weight, asn, country,"
                                        + " vantage, scan_id FROM "
                                        + LedgerTables.REPLIES.name()
                                        + " WHERE month IN "
                                        + inList(months))) {
            while (r.next()) {
                LocalDateTime t = r.getObject(1, LocalDateTime.class);
                out.add(
                        new ClassifiedReply(
                                CaptureTime.toMicros(t.toInstant(ZoneOffset.UTC)),
                                r.getString(2),
                                r.getInt(3),
                                r.getString(4),
                                r.getInt(5),
                                r.getInt(6),
                                r.getString(7) == null ? null : ReplyType.valueOf(r.getString(7)),
                                Classification.valueOf(r.getString(8)),
                                intOr(r, 9),
                                r.getString(10),
                                intOr(r, 11),
                                r.getLong(12),
                                r.getString(13),
                                r.getString(14),
                                r.getString(15)));
            }
        }
        return out;
    }

    static int intOr(ResultSet r, int column) throws SQLException {
        int v = r.getInt(column);
        return r.wasNull() ? -1 : v;
    }

    /** The plain responders of the months, each key's rows of every run merged into one. */
    static Map<Scope, PlainResponders> plainResponders(Connection c, Set<Integer> months)
            throws SQLException {
        Map<Scope, PlainResponders> out = new HashMap<>();
        try (Statement s = c.createStatement();
                ResultSet r =
                        s.executeQuery(
                                "SELECT month, ip_version, port, probed_version, asn, replies,"
                                        + " addresses FROM "
                                        + LedgerTables.PLAIN.name()
                                        + " WHERE month IN "
                                        + inList(months))) {
            while (r.next()) {
                Scope k =
                        new Scope(
                                r.getString(1),
                                r.getInt(2),
                                r.getInt(3),
                                r.getInt(4),
                                r.getLong(5));
                AddressSet a = AddressSet.fromBytes(r.getBytes(7));
                PlainResponders before = out.get(k);
                if (before != null) {
                    a.addAll(before.addresses());
                }
                out.put(
                        k,
                        new PlainResponders(
                                k, a, r.getLong(6) + (before == null ? 0 : before.replies())));
            }
        }
        return out;
    }

    /** The hosts of the MPTCP path per key in the months, from the recomputed host rows. */
    static Map<Scope, AddressSet> mptcpPathHosts(Connection c, Set<Integer> months)
            throws SQLException {
        Map<Scope, AddressSet> out = new HashMap<>();
        try (Statement s = c.createStatement();
                ResultSet r =
                        s.executeQuery(
                                "SELECT month, ip_version, port, probed_version, asn, host FROM "
                                        + CensusTables.HOSTS.name()
                                        + " WHERE month IN "
                                        + inList(months))) {
            while (r.next()) {
                out.computeIfAbsent(
                                new Scope(
                                        r.getString(1),
                                        r.getInt(2),
                                        r.getInt(3),
                                        r.getInt(4),
                                        r.getLong(5)),
                                k -> new AddressSet())
                        .add(r.getString(6));
            }
        }
        return out;
    }
}
