package org.mpcensus.udf.enrich;

import java.io.IOException;
import java.nio.file.Path;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.mpcensus.udf.classify.ClassifiedReply;

/**
 * Sets each reply's country from a MaxMind GeoLite2/GeoIP2 Country {@code .mmdb} that every subtask
 * opens (the file must be readable on every task manager).
 */
public class CountryEnrichment extends RichMapFunction<ClassifiedReply, ClassifiedReply> {
    private final String mmdb;
    private transient MaxMindLookup lookup;

    public CountryEnrichment(String mmdb) {
        this.mmdb = mmdb;
    }

    @Override
    public void open(OpenContext openContext) throws IOException {
        lookup = MaxMindLookup.open(Path.of(mmdb));
    }

    @Override
    public ClassifiedReply map(ClassifiedReply r) throws IOException {
        return r.withLocation(r.asn(), lookup.country(r.host()));
    }

    @Override
    public void close() throws IOException {
        if (lookup != null) {
            lookup.close();
        }
    }
}
