package org.mpcensus.udf.sql;

import java.nio.file.Path;
import org.apache.flink.table.functions.FunctionContext;
import org.apache.flink.table.functions.ScalarFunction;
import org.mpcensus.udf.enrich.EnrichmentOptions;
import org.mpcensus.udf.enrich.Pfx2AsTable;

/**
 * SQL {@code asn_of(ip)}: the origin AS from a pyasn/pfx2as table; 0 when unknown, NULL for a
 * non-address.
 */
public class AsnOfFunction extends ScalarFunction {
    private final String tableFile;
    private transient Pfx2AsTable table;

    /** Reads its file from the job parameter {@code mpcensus.asn-table}. */
    public AsnOfFunction() {
        this(null);
    }

    public AsnOfFunction(String tableFile) {
        this.tableFile = tableFile;
    }

    @Override
    public void open(FunctionContext context) throws Exception {
        table =
                Pfx2AsTable.load(
                        Path.of(
                                EnrichmentOptions.file(
                                        tableFile,
                                        context,
                                        EnrichmentOptions.ASN_TABLE,
                                        "asn_of")));
    }

    public Long eval(String ip) {
        if (ip == null) {
            return null;
        }
        try {
            return table.lookup(ip.trim());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
