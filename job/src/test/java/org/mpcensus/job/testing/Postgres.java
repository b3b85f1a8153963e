package org.mpcensus.job.testing;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real PostgreSQL server for the tests of one class (or the running one {@code
 * MPCENSUS_TEST_PG_URL} names), started before the class and stopped after it. Register it as a
 * static {@code @RegisterExtension} field.
 */
public final class Postgres implements BeforeAllCallback, AfterAllCallback {
    private PostgresServer server;

    public PostgresServer server() {
        return server;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        server = PostgresServer.start();
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (server != null) {
            server.close();
        }
    }
}
