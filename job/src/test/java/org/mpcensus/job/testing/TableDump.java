package org.mpcensus.job.testing;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.sql.Types;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.mpcensus.job.schema.CensusSchema;
import org.mpcensus.job.sink.CensusDatabase;

/**
 * Reads every census table and view as sorted text rows, so tables of two databases or runs compare
 * equal.
 */
public final class TableDump {
    private TableDump() {}

    public static Map<String, List<String>> of(CensusDatabase db) throws Exception {
        Map<String, List<String>> out = new TreeMap<>();
        try (Connection c = db.connect();
                Statement s = c.createStatement()) {
            List<String> names = new ArrayList<>();
            CensusSchema.topics().forEach(t -> names.add(t.name()));
            CensusSchema.views().forEach(v -> names.add(v.name()));
            for (String name : names) {
                List<String> rows = new ArrayList<>();
                try (ResultSet r = s.executeQuery("SELECT * FROM " + name)) {
                    ResultSetMetaData m = r.getMetaData();
                    while (r.next()) {
                        StringBuilder row = new StringBuilder();
                        for (int i = 1; i <= m.getColumnCount(); i++) {
                            row.append(i == 1 ? "" : "|").append(m.getColumnName(i)).append('=');
                            row.append(value(r, i, m.getColumnType(i)));
                        }
                        rows.add(row.toString());
                    }
                }
                rows.sort(null);
                out.put(name, rows);
            }
        }
        return out;
    }

    /**
     * The census tables and views as {@link #of} reads them, but dead letters by reason and size of
     * the raw input only: their location is a line or frame of the file that held them, which
     * differs when the same input comes split over several files.
     */
    public static Map<String, List<String>> acrossRuns(CensusDatabase db) throws Exception {
        Map<String, List<String>> tables = new TreeMap<>(of(db));
        tables.put(
                "dead_letters",
                rows(db, "SELECT reason, octet_length(raw) FROM dead_letters ORDER BY 1, 2"));
        return tables;
    }

    /** The rows of a query, each its values as text joined by spaces, in the query's order. */
    public static List<String> rows(CensusDatabase db, String sql) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = db.connect();
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery(sql)) {
            int n = r.getMetaData().getColumnCount();
            while (r.next()) {
                List<String> v = new ArrayList<>();
                for (int i = 1; i <= n; i++) {
                    v.add(String.valueOf(r.getObject(i)));
                }
                out.add(String.join(" ", v));
            }
        }
        return out;
    }

    private static String value(ResultSet r, int i, int type) throws Exception {
        switch (type) {
            case Types.TIMESTAMP -> {
                LocalDateTime t = r.getObject(i, LocalDateTime.class);
                return String.valueOf(t);
            }
            case Types.DOUBLE, Types.FLOAT, Types.REAL -> {
                double d = r.getDouble(i);
                // Drivers render doubles differently; 12 significant digits compare across them.
                return r.wasNull() ? "null" : String.format(java.util.Locale.ROOT, "%.12g", d);
            }
            case Types.BOOLEAN, Types.BIT -> {
                boolean b = r.getBoolean(i);
                return r.wasNull() ? "null" : Boolean.toString(b);
            }
            case Types.BINARY, Types.VARBINARY, Types.LONGVARBINARY, Types.BLOB -> {
                byte[] b = r.getBytes(i);
                return b == null ? "null" : HexFormat.of().formatHex(b);
            }
            default -> {
                return String.valueOf(r.getString(i));
            }
        }
    }
}
