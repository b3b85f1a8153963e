package org.mpcensus.job.testing;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real Kafka broker and a real PostgreSQL server for the tests of one class (or the running ones
 * that {@code MPCENSUS_TEST_KAFKA} and {@code MPCENSUS_TEST_PG_URL} name): started before the
 * class's {@code @BeforeAll} methods, closed after its {@code @AfterAll} methods. Register it as a
 * static {@code @RegisterExtension} field.
 */
public final class Servers implements BeforeAllCallback, AfterAllCallback {
    private KafkaBroker kafka;
    private PostgresServer postgres;

    public KafkaBroker kafka() {
        return kafka;
    }

    public PostgresServer postgres() {
        return postgres;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        kafka = KafkaBroker.start();
        postgres = PostgresServer.start();
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        try {
            if (kafka != null) {
                kafka.close();
            }
        } finally {
            if (postgres != null) {
                postgres.close();
            }
        }
    }
}
