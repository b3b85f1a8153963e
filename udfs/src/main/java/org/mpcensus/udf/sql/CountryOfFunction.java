package org.mpcensus.udf.sql;

import java.io.IOException;
import java.nio.file.Path;
import org.apache.flink.table.functions.FunctionContext;
import org.apache.flink.table.functions.ScalarFunction;
import org.mpcensus.udf.enrich.EnrichmentOptions;
import org.mpcensus.udf.enrich.MaxMindLookup;

/**
 * SQL {@code country_of(ip)}: the ISO country code from a MaxMind Country {@code .mmdb}; NULL when
 * none.
 */
public class CountryOfFunction extends ScalarFunction {
    private final String mmdb;
    private transient MaxMindLookup lookup;

    /** Reads its file from the job parameter {@code mpcensus.country-db}. */
    public CountryOfFunction() {
        this(null);
    }

    public CountryOfFunction(String mmdb) {
        this.mmdb = mmdb;
    }

    @Override
    public void open(FunctionContext context) throws IOException {
        lookup =
                MaxMindLookup.openCountry(
                        Path.of(
                                EnrichmentOptions.file(
                                        mmdb,
                                        context,
                                        EnrichmentOptions.COUNTRY_DB,
                                        "country_of")));
    }

    public String eval(String ip) throws IOException {
        if (ip == null) {
            return null;
        }
        try {
            return lookup.country(ip.trim());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    @Override
    public void close() throws IOException {
        if (lookup != null) {
            lookup.close();
        }
    }
}
