package org.mpcensus.udf.sql;

import java.nio.file.Path;
import org.apache.flink.table.functions.FunctionContext;
import org.apache.flink.table.functions.ScalarFunction;
import org.mpcensus.udf.enrich.AsNames;
import org.mpcensus.udf.enrich.EnrichmentOptions;

/** SQL {@code as_name(asn)}: the AS's name from pyasn's asnames.json; NULL when unknown. */
public class AsNameFunction extends ScalarFunction {
    private final String namesFile;
    private transient AsNames names;

    /** Reads its file from the job parameter {@code mpcensus.as-names}. */
    public AsNameFunction() {
        this(null);
    }

    public AsNameFunction(String namesFile) {
        this.namesFile = namesFile;
    }

    @Override
    public void open(FunctionContext context) throws Exception {
        names =
                AsNames.load(
                        Path.of(
                                EnrichmentOptions.file(
                                        namesFile,
                                        context,
                                        EnrichmentOptions.AS_NAMES,
                                        "as_name")));
    }

    public String eval(Long asn) {
        return asn == null ? null : names.name(asn);
    }
}
