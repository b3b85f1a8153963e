package org.mpcensus.job.census;

import java.time.Duration;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.streaming.api.datastream.BroadcastStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.mpcensus.probe.event.CensusInput;
import org.mpcensus.udf.enrich.Enrichment;
import org.mpcensus.udf.enrich.TableVersion;
import org.mpcensus.udf.enrich.TableWatch;

/**
 * The versions of the enrichment tables (IP-to-ASN, countries) that the census's enrichment
 * follows.
 */
final class EnrichmentVersions {
    private EnrichmentVersions() {}

    /**
     * The broadcast stream of enrichment table versions: each file once, then (when {@code reload}
     * is positive) each file every {@code reload}, forever. Its watermark is the end of time, so it
     * never holds back the census's event time.
     */
    static BroadcastStream<TableVersion> of(
            DataStream<CensusInput> records,
            String asnTableFile,
            String countryDb,
            Duration reload) {
        TableWatch watch = new TableWatch(asnTableFile, countryDb);
        int tables = Math.max(1, watch.tables());
        boolean forever = watch.tables() > 0 && reload.toMillis() > 0;
        DataGeneratorSource<TableVersion> source =
                new DataGeneratorSource<>(
                        watch,
                        forever ? Long.MAX_VALUE : tables,
                        forever
                                ? RateLimiterStrategy.perSecond(tables * 1000.0 / reload.toMillis())
                                : RateLimiterStrategy.noOp(),
                        TypeInformation.of(TableVersion.class));
        WatermarkStrategy<TableVersion> endOfTime =
                WatermarkStrategy.forGenerator(
                        ctx ->
                                new WatermarkGenerator<>() {
                                    @Override
                                    public void onEvent(
                                            TableVersion v, long ts, WatermarkOutput out) {}

                                    @Override
                                    public void onPeriodicEmit(WatermarkOutput out) {
                                        out.emitWatermark(new Watermark(Long.MAX_VALUE));
                                    }
                                });
        return records.getExecutionEnvironment()
                .fromSource(source, endOfTime, "enrichment-tables")
                .uid("enrichment-tables")
                .setParallelism(1)
                .broadcast(Enrichment.VERSIONS);
    }
}
