package org.mpcensus.job.testing;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.mpcensus.probe.testbed.Testbed;

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
