package org.mpcensus.job.testing;

import java.nio.file.Path;
import java.util.List;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.mpcensus.job.CensusOptions;
import org.mpcensus.job.ReplayJob;
import org.mpcensus.job.sink.CensusDatabase;
import org.mpcensus.job.sink.CensusSinks;
import org.mpcensus.job.sink.SinkOptions;

/** Runs replays the way {@code mpcensus replay} does, on a local MiniCluster of parallelism 2. */
public final class Replays {
    private Replays() {}

    /** The shipped sample archive and its ASN table. */
    public static Path sample() {
        return Path.of("samples/zmap-sample.csv").toAbsolutePath();
    }

    public static Path sampleAsnTable() {
        return Path.of("samples/sample-asn.dat").toAbsolutePath();
    }

    public static Configuration conf(String sinkUrl) {
        Configuration conf = new Configuration();
        conf.set(CoreOptions.DEFAULT_PARALLELISM, 2);
        conf.set(SinkOptions.URL, sinkUrl);
        conf.set(CensusOptions.ASN_TABLE, sampleAsnTable().toString());
        return conf;
    }

    /** Replays files into the sink named by {@code conf} and returns the database. */
    public static CensusDatabase run(Configuration conf, List<String> files) throws Exception {
        CensusDatabase db = CensusDatabase.fromConfiguration(conf);
        new ReplayJob(ReplayJob.sourceFor(files, conf), new CensusSinks(db, conf), conf).run();
        return db;
    }
}
