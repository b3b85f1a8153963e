package org.mpcensus.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;
import org.mpcensus.job.report.CensusReport;
import org.mpcensus.job.report.MonthRange;
import org.mpcensus.job.report.ReportITCase;
import org.mpcensus.job.sink.CensusDatabase;
import org.mpcensus.job.testing.PostgresServer;
import org.mpcensus.job.testing.Replays;
import org.mpcensus.job.testing.Trees;
import org.mpcensus.probe.testing.SharedData;
import org.mpcensus.udf.enrich.AsDirectory;
import org.mpcensus.udf.enrich.AsNames;
import org.mpcensus.udf.enrich.EnrichmentOptions;

/**
 * The dashboard's queries run on a real PostgreSQL holding the census of the shipped sample archive
 * (written by the real pipeline), and each panel shows what the tables hold.
 */
class GrafanaDashboardITCase {
    @Test
    void everyPanelQueriesTheCensusTablesAndAgreesWithThem() throws Exception {
        JsonNode dashboard =
                Manifests.find(Manifests.all(), "local", "ConfigMap", "mpcensus-grafana-dashboards")
                        .object()
                        .path("data")
                        .path("census.json");
        JsonNode panels = Manifests.JSON.readTree(dashboard.asText()).path("panels");
        assertThat(panels).hasSize(7);

        try (PostgresServer pg = PostgresServer.start()) {
            Configuration conf = Replays.conf(pg.createDatabase("mpcensus_grafana"));
            conf.set(
                    EnrichmentOptions.ASN_TABLE,
                    Manifests.root().resolve("job/samples/sample-asn.dat").toString());
            CensusDatabase db =
                    Replays.run(
                            conf,
                            List.of(
                                    Manifests.root()
                                            .resolve("job/samples/zmap-sample.csv")
                                            .toString()));
            // The report's SQL runs on PostgreSQL as on DuckDB: the same figures of the sample;
            // given AS names, it stores them for the dashboard.
            CensusReport report =
                    new CensusReport(
                            db,
                            MonthRange.ALL,
                            AsDirectory.load(SharedData.file("pyasn/asnames.json.gz"), null, null));
            Path figures = Files.createTempDirectory("mpcensus-report-pg");
            List<String> drawn;
            try {
                drawn =
                        report.write(figures).stream()
                                .filter(w -> w.leftOut() == null)
                                .map(w -> w.figure().name())
                                .toList();
            } finally {
                Trees.delete(figures);
            }
            assertThat(drawn).containsExactlyElementsOf(ReportITCase.SAMPLE_FIGURES);
            assertThat(report.publishNames()).isPositive();
            try (Connection c = db.connect();
                    Statement s = c.createStatement()) {
                Map<String, List<List<Object>>> results = new TreeMap<>();
                for (JsonNode panel : panels) {
                    assertThat(panel.path("datasource").path("uid").asText())
                            .isEqualTo("mpcensus-postgres");
                    String sql = panel.path("targets").get(0).path("rawSql").asText();
                    results.put(panel.path("title").asText(), rows(s, sql));
                }
                long candidates =
                        single(
                                s,
                                "SELECT sum(hosts) FROM census_counts WHERE classification = 'CANDIDATE'");
                long consistent =
                        single(s, "SELECT count(*) FROM census_consistency WHERE consistent");
                long keys = single(s, "SELECT sum(keys) FROM census_key_tests");
                assertThat(candidates).isPositive();
                assertThat(keys).isPositive();
                assertThat(sum(results.get(title(panels, 1)), 2)).isEqualTo(candidates);
                assertThat(sum(results.get(title(panels, 2)), 2)).isEqualTo(consistent);
                List<List<Object>> top = results.get(title(panels, 3));
                assertThat(top).isNotEmpty().hasSizeLessThanOrEqualTo(10);
                for (int i = 1; i < top.size(); i++) {
                    assertThat(((Number) top.get(i - 1).get(5)).longValue())
                            .isGreaterThanOrEqualTo(((Number) top.get(i).get(5)).longValue());
                }
                // names instead of bare numbers (pyasn's file names the sample's documentation
                // ASes as reserved, in ZZ)
                AsNames names = AsNames.load(SharedData.file("pyasn/asnames.json.gz"));
                for (List<Object> row : top) {
                    long asn = ((Number) row.get(0)).longValue();
                    assertThat(row.get(1)).as("AS" + asn).isEqualTo(names.name(asn));
                }
                assertThat(top).anyMatch(r -> r.get(1) != null);
                List<List<Object>> histogram = results.get(title(panels, 4));
                assertThat(sum(histogram, 1)).isEqualTo(keys);
                // every weight 0..64 once, and the binomial spreads the same number of keys
                assertThat(histogram).hasSize(65);
                for (int w = 0; w <= 64; w++) {
                    assertThat(histogram.get(w).get(0)).isEqualTo(Integer.toString(w));
                }
                double expected =
                        histogram.stream()
                                .mapToDouble(r -> ((Number) r.get(2)).doubleValue())
                                .sum();
                assertThat(expected).isCloseTo(keys, org.assertj.core.data.Offset.offset(0.1));
                // the overlap and migration panels hold every host of their measure once
                String[] measures = {"PORTS", "VERSIONS", "MIGRATION"};
                for (int i = 0; i < measures.length; i++) {
                    long hosts =
                            single(
                                    s,
                                    "SELECT sum(hosts) FROM census_overlap WHERE measure = '"
                                            + measures[i]
                                            + "'");
                    assertThat(hosts).as(measures[i]).isPositive();
                    assertThat(sum(results.get(title(panels, 5 + i)), 2))
                            .as(measures[i])
                            .isEqualTo(hosts);
                }
            }
        }
    }

    private static String title(JsonNode panels, int id) {
        for (JsonNode p : panels) {
            if (p.path("id").asInt() == id) {
                return p.path("title").asText();
            }
        }
        throw new AssertionError("no panel " + id);
    }

    private static List<List<Object>> rows(Statement s, String sql) throws Exception {
        List<List<Object>> rows = new ArrayList<>();
        try (ResultSet r = s.executeQuery(sql)) {
            int n = r.getMetaData().getColumnCount();
            while (r.next()) {
                List<Object> row = new ArrayList<>();
                for (int i = 1; i <= n; i++) {
                    row.add(r.getObject(i));
                }
                rows.add(row);
            }
        }
        return rows;
    }

    private static long sum(List<List<Object>> rows, int column) {
        return rows.stream().mapToLong(r -> ((Number) r.get(column)).longValue()).sum();
    }

    private static long single(Statement s, String sql) throws Exception {
        try (ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        }
    }
}
