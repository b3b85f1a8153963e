package org.mpcensus.udf.enrich;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.apache.flink.streaming.util.BroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mpcensus.probe.event.ReplyType;
import org.mpcensus.probe.testing.SharedData;
import org.mpcensus.udf.classify.Classification;
import org.mpcensus.udf.classify.ClassifiedReply;

class EnrichmentTest {
    @TempDir Path dir;

    static ClassifiedReply reply(String host) {
        return new ClassifiedReply(
                1,
                "2026-10",
                host.contains(":") ? 6 : 4,
                host,
                443,
                1,
                ReplyType.SYN_ACK,
                Classification.NOT_MPTCP,
                -1,
                null,
                -1,
                0,
                null,
                "vp",
                "s");
    }

    /** Replaces a file the way operators should: write elsewhere, rename over it. */
    static void replace(Path target, String content, long modifiedMillis) throws Exception {
        Path next = target.resolveSibling(target.getFileName() + ".next");
        Files.writeString(next, content);
        Files.setLastModifiedTime(next, FileTime.fromMillis(modifiedMillis));
        Files.move(
                next, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    static BroadcastOperatorTestHarness<ClassifiedReply, TableVersion, ClassifiedReply> harness(
            Enrichment e) throws Exception {
        return ProcessFunctionTestHarnesses.forBroadcastProcessFunction(e, Enrichment.VERSIONS);
    }

    @Test
    void aSwappedAsnTableAnswersFromTheNextVersionOnAndABrokenOneKeepsTheLast() throws Exception {
        Path table = dir.resolve("pfx2as.txt");
        replace(table, "198.18.0.0\t15\t64500\n", 1_000_000);
        Enrichment e = new Enrichment(table.toString(), null);
        try (var h = harness(e)) {
            h.processBroadcastElement(
                    TableWatch.versionOf(TableWatch.ASN_TABLE, table.toString()), 1);
            h.processElement(reply("198.18.1.1"), 2);

            replace(table, "198.18.0.0\t15\t64500\n198.18.1.0\t24\t64501_64502\n", 2_000_000);
            // Until the watcher reports the new version, the old table answers.
            h.processElement(reply("198.18.1.1"), 3);
            TableVersion v2 = TableWatch.versionOf(TableWatch.ASN_TABLE, table.toString());
            h.processBroadcastElement(v2, 4);
            h.processElement(reply("198.18.1.1"), 5);
            h.processElement(reply("198.18.2.1"), 6);

            replace(table, "this is not a prefix table\n", 3_000_000);
            h.processBroadcastElement(
                    TableWatch.versionOf(TableWatch.ASN_TABLE, table.toString()), 7);
            h.processElement(reply("198.18.1.1"), 8);

            assertThat(h.extractOutputValues().stream().map(ClassifiedReply::asn).toList())
                    .containsExactly(64500L, 64500L, 64501L, 64500L, 64501L);
            // The broadcast state holds the version the census uses: the last good one.
            assertThat(h.getBroadcastState(Enrichment.VERSIONS).get(TableWatch.ASN_TABLE))
                    .isEqualTo(v2);
        }
    }

    @Test
    void aCountryDatabaseIsReloadedAndAnAsnDatabaseInItsPlaceIsRefused() throws Exception {
        Path db = dir.resolve("country.mmdb");
        Files.copy(SharedData.file("maxmind/GeoIP2-Country-Test.mmdb"), db);
        Files.setLastModifiedTime(db, FileTime.fromMillis(1_000_000));
        Enrichment e = new Enrichment(null, db.toString());
        try (var h = harness(e)) {
            // SE in the GeoIP2 test database, KR in the GeoLite2 one.
            String host = "2001:220::";
            h.processElement(reply(host), 1);

            Files.copy(
                    SharedData.file("maxmind/GeoLite2-ASN-Test.mmdb"),
                    db,
                    StandardCopyOption.REPLACE_EXISTING);
            Files.setLastModifiedTime(db, FileTime.fromMillis(2_000_000));
            h.processBroadcastElement(
                    TableWatch.versionOf(TableWatch.COUNTRY_DB, db.toString()), 2);
            h.processElement(reply(host), 3);

            Files.copy(
                    SharedData.file("maxmind/GeoLite2-Country-Test.mmdb"),
                    db,
                    StandardCopyOption.REPLACE_EXISTING);
            Files.setLastModifiedTime(db, FileTime.fromMillis(3_000_000));
            h.processBroadcastElement(
                    TableWatch.versionOf(TableWatch.COUNTRY_DB, db.toString()), 4);
            h.processElement(reply(host), 5);

            List<String> countries =
                    h.extractOutputValues().stream().map(ClassifiedReply::country).toList();
            assertThat(countries).containsExactly("SE", "SE", "KR");
        }
    }

    @Test
    void withoutTablesEveryReplyIsAsZeroAndTheWatcherReportsNothingToLoad() throws Exception {
        TableVersion none = new TableWatch(null, null).map(0L);
        assertThat(none.readable()).isFalse();
        try (var h = harness(new Enrichment(null, null))) {
            h.processBroadcastElement(none, 1);
            h.processElement(reply("198.18.1.1"), 2);
            assertThat(h.extractOutputValues())
                    .singleElement()
                    .extracting(ClassifiedReply::asn)
                    .isEqualTo(0L);
        }
    }
}
