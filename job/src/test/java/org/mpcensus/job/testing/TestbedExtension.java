package org.mpcensus.job.testing;

import java.nio.file.Path;
import java.util.List;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.mpcensus.job.sink.SinkOptions;
import org.mpcensus.job.testbed.Testbed;
import org.mpcensus.probe.source.plan.ProbeSourceOptions;

/**
 * One {@link Testbed} for the tests of a class: built before the first, removed (its processes
 * ended by PID, its namespaces deleted) after the last, also when a test fails. Register with
 * {@code @RegisterExtension static final TestbedExtension TESTBED = new TestbedExtension();}.
 */
public final class TestbedExtension implements BeforeAllCallback, AfterAllCallback {
    private Testbed testbed;

    /** The running testbed. */
    public Testbed get() {
        if (testbed == null) {
            throw new IllegalStateException("the testbed is built before the class's first test");
        }
        return testbed;
    }

    /** A job's configuration: parallelism 2, into a DuckDB file, with a blocklist file. */
    public static Configuration job(String duckdb, Path blocklist) {
        Configuration conf = new Configuration();
        conf.set(CoreOptions.DEFAULT_PARALLELISM, 2);
        conf.set(SinkOptions.URL, "duckdb:" + duckdb);
        conf.set(ProbeSourceOptions.BLOCKLIST, List.of(blocklist.toString()));
        return conf;
    }

    /** Sends from the testbed's prober: its interface, its addresses, the first router's MAC. */
    public Configuration vantage(Configuration conf) {
        conf.set(ProbeSourceOptions.INTERFACE, get().proberInterface());
        conf.set(ProbeSourceOptions.SOURCE_IPV4, Testbed.PROBER_IPV4);
        conf.set(ProbeSourceOptions.SOURCE_IPV6, Testbed.PROBER_IPV6);
        conf.set(ProbeSourceOptions.GATEWAY_MAC, get().routerMac());
        return conf;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        testbed = Testbed.start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (testbed != null) {
            testbed.close();
            testbed = null;
        }
    }
}
