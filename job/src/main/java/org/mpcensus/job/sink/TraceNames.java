package org.mpcensus.job.sink;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.mpcensus.job.schema.LedgerTables;

/**
 * The traffic tables name a trace by its file name ({@code traffic_flows.trace}, {@code
 * traffic_share.trace}): two files of one name would be counted as one trace, their flows merged. A
 * run that would do so is refused, whether both files are in the run or one was read by an earlier
 * run from another path.
 */
public final class TraceNames {
    private TraceNames() {}

    /** The name of the trace of a file: its file name. */
    public static String of(String path) {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? path : path.substring(slash + 1);
    }

    /**
     * Why the files cannot be read into the census as traces of their own, or empty.
     *
     * @param files the files the run reads (their content not in the census yet)
     */
    public static Optional<String> clash(List<String> files, CensusDatabase census)
            throws SQLException {
        Map<String, String> byName = new HashMap<>();
        for (String f : files) {
            String before = byName.putIfAbsent(of(f), f);
            if (before != null) {
                return Optional.of(
                        "two traces named "
                                + of(f)
                                + " ("
                                + before
                                + " and "
                                + f
                                + "): the traffic tables name a trace by its file name; rename"
                                + " one, or read them into two censuses");
            }
        }
        try (Connection c = census.connect();
                PreparedStatement ps =
                        c.prepareStatement(
                                "SELECT path, run_id FROM "
                                        + LedgerTables.INPUTS.name()
                                        + " WHERE command = 'traffic' ORDER BY path")) {
            try (ResultSet r = ps.executeQuery()) {
                while (r.next()) {
                    String ours = byName.get(of(r.getString(1)));
                    if (ours != null && !ours.equals(r.getString(1))) {
                        return Optional.of(
                                "the census holds a trace named "
                                        + of(ours)
                                        + " already (read from "
                                        + r.getString(1)
                                        + " by run "
                                        + r.getString(2)
                                        + "), so "
                                        + ours
                                        + " would add to its flows: rename it");
                    }
                }
            }
        }
        return Optional.empty();
    }
}
