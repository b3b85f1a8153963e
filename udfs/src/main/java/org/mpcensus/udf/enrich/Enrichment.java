package org.mpcensus.udf.enrich;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.co.BroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.mpcensus.udf.classify.ClassifiedReply;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sets each reply's origin AS (from a pyasn or pfx2as {@link Pfx2AsTable}) and country (from a
 * MaxMind Country database), and reloads either table while the job runs. Every subtask loads the
 * files when it opens (they must be readable on every task manager). The broadcast input carries
 * the {@link TableVersion}s a {@link TableWatch} sees; the broadcast state holds the version each
 * table was last loaded from, so all subtasks switch on the same broadcast element, and a version
 * change makes each subtask load the new file. A file that fails to load (half written, wrong
 * format) leaves the previous table in place, is counted and logged, and is tried again on the next
 * version the watcher reports. Replace tables by renaming a complete file over the old one.
 */
public class Enrichment
        extends BroadcastProcessFunction<ClassifiedReply, TableVersion, ClassifiedReply> {
    /** The broadcast state: table kind to the version it was last loaded from. */
    public static final MapStateDescriptor<String, TableVersion> VERSIONS =
            new MapStateDescriptor<>(
                    "enrichment-versions", Types.STRING, TypeInformation.of(TableVersion.class));

    private static final Logger LOG = LoggerFactory.getLogger(Enrichment.class);

    private final String asnTableFile;
    private final String countryDb;
    private transient Pfx2AsTable table;
    private transient MaxMindLookup countries;
    private transient Map<String, TableVersion> loaded;
    private transient Counter reloads;
    private transient Counter failures;

    /**
     * @param asnTableFile a pyasn or pfx2as file, or null (every AS is 0, unknown)
     * @param countryDb a MaxMind Country mmdb, or null (no country)
     */
    public Enrichment(String asnTableFile, String countryDb) {
        this.asnTableFile = asnTableFile;
        this.countryDb = countryDb;
    }

    @Override
    public void open(OpenContext openContext) throws IOException {
        loaded = new HashMap<>();
        table = Pfx2AsTable.empty();
        if (asnTableFile != null) {
            TableVersion v = TableWatch.versionOf(TableWatch.ASN_TABLE, asnTableFile);
            table = Pfx2AsTable.load(Path.of(asnTableFile));
            loaded.put(v.kind(), v);
        }
        if (countryDb != null) {
            TableVersion v = TableWatch.versionOf(TableWatch.COUNTRY_DB, countryDb);
            countries = MaxMindLookup.openCountry(Path.of(countryDb));
            loaded.put(v.kind(), v);
        }
        var group = getRuntimeContext().getMetricGroup();
        reloads = group.counter("enrichmentReloads");
        failures = group.counter("enrichmentReloadFailures");
    }

    @Override
    public void processElement(
            ClassifiedReply r, ReadOnlyContext ctx, Collector<ClassifiedReply> out)
            throws IOException {
        out.collect(locate(r));
    }

    /** The reply with its origin AS and country from the current tables. */
    ClassifiedReply locate(ClassifiedReply r) throws IOException {
        return r.withLocation(asnOf(r.host()), countryOf(r.host(), r.country()));
    }

    /** The origin AS of an address in the current table, 0 when unknown. */
    public long asnOf(String host) {
        return table.lookup(host);
    }

    /** The country of an address, or {@code otherwise} without a country database. */
    public String countryOf(String host, String otherwise) throws IOException {
        return countries == null ? otherwise : countries.country(host);
    }

    @Override
    public void processBroadcastElement(
            TableVersion seen, Context ctx, Collector<ClassifiedReply> out) throws Exception {
        BroadcastState<String, TableVersion> versions = ctx.getBroadcastState(VERSIONS);
        if (seen.readable() && !seen.equals(loaded.get(seen.kind()))) {
            try {
                load(seen);
                loaded.put(seen.kind(), seen);
                reloads.inc();
                LOG.info("reloaded {} from {}", seen.kind(), seen.file());
            } catch (IOException | RuntimeException e) {
                failures.inc();
                LOG.warn(
                        "could not reload {} from {}; keeping the previous table",
                        seen.kind(),
                        seen.file(),
                        e);
                return;
            }
        }
        versions.put(seen.kind(), loaded.getOrDefault(seen.kind(), seen));
    }

    private void load(TableVersion v) throws IOException {
        switch (v.kind()) {
            case TableWatch.ASN_TABLE -> table = Pfx2AsTable.load(Path.of(v.file()));
            case TableWatch.COUNTRY_DB -> {
                MaxMindLookup next = MaxMindLookup.openCountry(Path.of(v.file()));
                MaxMindLookup previous = countries;
                countries = next;
                if (previous != null) {
                    previous.close();
                }
            }
            default -> throw new IOException("unknown enrichment table " + v.kind());
        }
    }

    @Override
    public void close() throws IOException {
        if (countries != null) {
            countries.close();
        }
    }

    /**
     * A map that sets the origin AS and country of what it sees from tables loaded once when each
     * subtask opens and never reloaded: the enrichment of bounded jobs. Having one input, it is
     * chained to the operators before it, so records reach it without being serialized.
     *
     * @param <T> what it locates
     */
    public abstract static class Located<T> extends RichMapFunction<T, T> {
        private final Enrichment tables;

        /** The same arguments as {@link Enrichment#Enrichment}. */
        protected Located(String asnTableFile, String countryDb) {
            this.tables = new Enrichment(asnTableFile, countryDb);
        }

        /** {@code in} with its AS and country from the tables. */
        protected abstract T locate(Enrichment tables, T in) throws IOException;

        @Override
        public void open(OpenContext openContext) throws IOException {
            tables.setRuntimeContext(getRuntimeContext());
            tables.open(openContext);
        }

        @Override
        public T map(T in) throws IOException {
            return locate(tables, in);
        }

        @Override
        public void close() throws IOException {
            tables.close();
        }
    }

    /** The enrichment of the census's replies in a bounded job. */
    public static class Once extends Located<ClassifiedReply> {
        /** The same arguments as {@link Enrichment#Enrichment}. */
        public Once(String asnTableFile, String countryDb) {
            super(asnTableFile, countryDb);
        }

        @Override
        protected ClassifiedReply locate(Enrichment tables, ClassifiedReply r) throws IOException {
            return tables.locate(r);
        }
    }
}
