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
import org.mpcensus.job.schema.CensusTable;
import org.mpcensus.job.schema.CensusTables;
import org.mpcensus.job.sink.CensusDatabase;

/**
 * Reads every census table as sorted text rows, so tables of two databases or runs compare equal.
 */
public final class TableDump {
    private TableDump() {}

    public static Map<String, List<String>> of(CensusDatabase db) throws Exception {
        Map<String, List<String>> out = new TreeMap<>();
        try (Connection c = db.connect();
                Statement s = c.createStatement()) {
            for (CensusTable<?> t : CensusTables.ALL) {
                List<String> rows = new ArrayList<>();
                try (ResultSet r = s.executeQuery("SELECT * FROM " + t.name())) {
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
                out.put(t.name(), rows);
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
