package org.mpcensus.probe.source.reader;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The reader's status line: its share is of its own shards, so it reaches 100 %. */
class ReaderStatusTest {

    @Test
    void theShareAndTimeLeftAreOfTheShardsTheReaderWasGiven() {
        ReaderCounters c = new ReaderCounters();
        c.sent.set(600);
        c.blocked.set(40);
        c.valid.set(30);
        c.invalid.set(2);
        String half = ReaderStatus.line("scan", 1, 10, 3, 640, 1280, 64, c, 5);
        assertThat(half)
                .startsWith("scan reader 1: 10s elapsed, 3 shards 50.0% walked, ETA 10s;")
                .contains("600 sent (60 p/s), 40 blocked")
                .contains("30 replies (3/s, 5.00% hit rate), 2 invalid, 0 duplicate, 5 dropped");
        String done = ReaderStatus.line("scan", 1, 20, 3, 1280, 1280, 64, c, 5);
        assertThat(done).contains("3 shards 100.0% walked, ETA 0s");
        // Before any shard arrives there is nothing to walk, and nothing is done.
        assertThat(ReaderStatus.line("scan", 0, 1, 0, 0, 0, 64, new ReaderCounters(), 0))
                .contains("0 shards 0.0% walked, ETA 0s; 0 sent (0 p/s)");
    }
}
