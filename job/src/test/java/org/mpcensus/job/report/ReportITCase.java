package org.mpcensus.job.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mpcensus.job.schema.LedgerTables;
import org.mpcensus.job.sink.CensusDatabase;
import org.mpcensus.job.sink.CensusRun;
import org.mpcensus.job.testing.Cli;
import org.mpcensus.job.testing.HeadlessChromium;
import org.mpcensus.job.testing.Launcher;
import org.mpcensus.job.testing.TableDump;
import org.mpcensus.probe.testing.SharedData;
import org.mpcensus.udf.enrich.AsDirectory;

/**
 * The report of the shipped sample census, made as a user makes it ({@code ./mpcensus replay}, then
 * {@code ./mpcensus report}): every figure's CSV is what the SQL job/docs/report.md gives for it
 * returns; the figures the sample has no data for are left out with a line saying why; and in a
 * real headless Chromium every figure is loaded and visible and the page reports no error.
 */
public class ReportITCase {
    /**
     * The figures and tables of the shipped sample's report: a replay has the scan's figures, not
     * paths, HTTP or traffic.
     */
    public static final List<String> SAMPLE_FIGURES =
            List.of(
                    "hosts-by-class",
                    "key-weights",
                    "port-overlap",
                    "version-overlap",
                    "migration",
                    "top-ases-v0",
                    "top-ases-v1");

    @TempDir static Path dir;

    static Path out;

    static String readme;

    @BeforeAll
    static void makeTheSamplesReport() throws Exception {
        readme = Files.readString(Launcher.ROOT.resolve("job/docs/report.md"));
        String sink = "duckdb:" + dir.resolve("census.duckdb");
        Process replay =
                Launcher.start(
                        List.of(
                                "./mpcensus",
                                "replay",
                                "--input",
                                "job/samples/zmap-sample.csv",
                                "--asn-table",
                                "job/samples/sample-asn.dat",
                                "--sink",
                                sink),
                        dir,
                        "replay");
        assertThat(Launcher.ended(replay, 300)).isTrue();
        assertThat(replay.exitValue()).isZero();
        out = dir.resolve("report");
        Process report =
                Launcher.start(
                        List.of(
                                "./mpcensus",
                                "report",
                                "--sink",
                                sink,
                                "--out",
                                out.toString(),
                                "--as-names",
                                SharedData.file("pyasn/asnames.json.gz").toString()),
                        dir,
                        "report");
        assertThat(Launcher.ended(report, 300)).isTrue();
        assertThat(report.exitValue()).as(Files.readString(dir.resolve("report.err"))).isZero();
    }

    /** The SQL the report's document gives for a figure: the sql block after its heading. */
    static String readmeSql(String figure) {
        int at = readme.indexOf("\n#### `" + figure + "`");
        assertThat(at).as("job/docs/report.md has a heading for " + figure).isPositive();
        int start = readme.indexOf("```sql\n", at) + "```sql\n".length();
        return readme.substring(start, readme.indexOf("```", start));
    }

    @Test
    void everyFiguresCsvIsWhatTheReadmesSqlReturns() throws Exception {
        CensusDatabase db = CensusDatabase.of("duckdb:" + dir.resolve("census.duckdb"), null, null);
        String html = Files.readString(out.resolve("index.html"));
        List<String> drawn = new ArrayList<>();
        try (Connection c = db.connect()) {
            for (ReportFigure f : CensusReport.FIGURES) {
                // the document shows the very SQL the report runs
                assertThat(readmeSql(f.name()).strip()).as(f.name()).isEqualTo(f.template());
                String sql = readmeSql(f.name()).replace("{months}", MonthRange.ALL.condition());
                List<Map<String, Object>> rows = CensusReport.rows(c, sql);
                Path csv = out.resolve(f.name() + ".csv");
                if (!Files.exists(csv)) {
                    // left out: nothing counted, and the page says so
                    assertThat(rows)
                            .allMatch(
                                    r ->
                                            r.get(f.values().get(0)) == null
                                                    || ((Number) r.get(f.values().get(0)))
                                                                    .doubleValue()
                                                            == 0);
                    assertThat(html).contains("id=\"" + f.name() + "\">Left out: <b>");
                    continue;
                }
                drawn.add(f.name());
                assertThat(Files.readString(csv)).as(f.name()).isEqualTo(CensusReport.csv(rows));
                if (f.kind() != ReportFigure.Kind.TABLE) {
                    assertThat(out.resolve(f.name() + ".svg")).isNotEmptyFile();
                    assertThat(Files.readString(out.resolve(f.name() + ".svg")))
                            .contains("<svg")
                            .contains("</svg>");
                    assertThat(ImageIOHolder.read(out.resolve(f.name() + ".png")).getWidth())
                            .isEqualTo(ReportCharts.WIDTH);
                }
            }
        }
        assertThat(drawn).containsExactlyElementsOf(SAMPLE_FIGURES);
        // The AS tables name the ASes the names file has (the sample's ASes are documentation
        // numbers, which pyasn's file has as reserved).
        assertThat(html).contains("<th>name</th><th>country</th><th>AS rank</th>");
    }

    /**
     * The figures the sample has no data for are drawn from their tables too: the sample's census
     * with rows added to the path, HTTP and traffic tables (as the verify, http-timing and traffic
     * jobs write them) gives every figure, each CSV again the document's SQL.
     */
    @Test
    void withPathsHttpAndTrafficEveryFigureIsDrawnFromItsReadmeSql() throws Exception {
        Path full = dir.resolve("full.duckdb");
        Files.copy(dir.resolve("census.duckdb"), full);
        CensusDatabase db = CensusDatabase.of("duckdb:" + full, null, null);
        try (Connection c = db.connect();
                java.sql.Statement s = c.createStatement()) {
            // census_path_counts and census_truly_capable are views over these rows.
            s.execute(
                    "INSERT INTO census_hosts (month, host, port, probed_version, ip_version, asn,"
                            + " classification, replies, first_seen, last_seen, duplicate_key,"
                            + " country) VALUES"
                            + " ('2026-10', '198.51.100.1', 443, 1, 4, 64500, 'CANDIDATE', 1,"
                            + " TIMESTAMP '2026-10-01 00:00:00', TIMESTAMP '2026-10-01 00:00:00',"
                            + " FALSE, 'DE'),"
                            + " ('2026-10', '198.51.100.2', 80, 1, 4, 64500, 'CANDIDATE', 1,"
                            + " TIMESTAMP '2026-10-01 00:00:00', TIMESTAMP '2026-10-01 00:00:00',"
                            + " FALSE, 'FR')");
            s.execute(
                    "INSERT INTO census_paths VALUES"
                            + " ('2026-10', '198.51.100.1', 443, 1, 4, 64500, 'DE', 'CANDIDATE',"
                            + " 'TRULY_CAPABLE', NULL, NULL, NULL, NULL, 4, 5, 'SYN_ACK', '1', TIMESTAMP"
                            + " '2026-10-01 00:00:00', TIMESTAMP '2026-10-01 00:00:01'),"
                            + " ('2026-10', '198.51.100.2', 80, 1, 4, 64500, 'FR', 'CANDIDATE',"
                            + " 'TRULY_CAPABLE', NULL, NULL, NULL, NULL, 4, 5, 'SYN_ACK', '1', TIMESTAMP"
                            + " '2026-10-01 00:00:00', TIMESTAMP '2026-10-01 00:00:01'),"
                            + " ('2026-10', '198.51.100.4', 443, 1, 4, 64500, 'DE', 'MIRRORED',"
                            + " 'MIDDLEBOX_AFFECTED', 2, '198.51.100.254', 'MP_CAPABLE mirrored',"
                            + " NULL, 2, 2, 'SYN_ACK', '1 1', TIMESTAMP '2026-10-01 00:00:00',"
                            + " TIMESTAMP '2026-10-01 00:00:01'),"
                            + " ('2026-10', '198.51.100.5', 80, 0, 4, 64501, 'DE', 'CANDIDATE',"
                            + " 'UNREACHABLE', NULL, NULL, NULL, NULL, 0, NULL, 'NONE', '*',"
                            + " TIMESTAMP '2026-10-01 00:00:00', TIMESTAMP '2026-10-01 00:00:01')");
            s.execute(
                    "INSERT INTO census_http_deltas VALUES"
                            + " ('2026-10', '198.51.100.1', 443, 4, 64500, 'DE', 'TRULY_CAPABLE', 10,"
                            + " 9, 9, 1.5, 2.5, 4.0, 5.0),"
                            + " ('2026-10', '198.51.100.3', 443, 4, 64500, 'DE', 'TRULY_CAPABLE', 10,"
                            + " 10, 10, 0.5, 1.0, 2.0, 3.0)");
            s.execute(
                    "INSERT INTO traffic_share VALUES"
                            + " ('t', '2026-10-01', 4, 100, 100000, 5, 20000, 4, 1, 0, 4, 100.0, 5.0),"
                            + " ('t', '2026-10-02', 4, 80, 90000, 8, 30000, 6, 2, 1, 5, 96.0, 5.6)");
            s.execute("INSERT INTO traffic_sizes VALUES ('t', 13, 50000, 0.4, 0.9, 0.95)");
        }
        Path report = dir.resolve("full-report");
        List<CensusReport.Written> written =
                new CensusReport(db, MonthRange.ALL, AsDirectory.NONE).write(report);
        assertThat(written).allMatch(w -> w.leftOut() == null);
        try (Connection c = db.connect()) {
            for (ReportFigure f : CensusReport.FIGURES) {
                String sql = readmeSql(f.name()).replace("{months}", MonthRange.ALL.condition());
                assertThat(Files.readString(report.resolve(f.name() + ".csv")))
                        .as(f.name())
                        .isEqualTo(CensusReport.csv(CensusReport.rows(c, sql)));
            }
        }
        // A month range leaves out what lies outside it.
        List<CensusReport.Written> august =
                new CensusReport(db, MonthRange.parse("2026-08..2026-08"), AsDirectory.NONE)
                        .write(dir.resolve("august"));
        for (CensusReport.Written w : august) {
            for (Map<String, Object> row : w.rows()) {
                if (row.containsKey("month")) {
                    assertThat(row.get("month")).as(w.figure().name()).isEqualTo("2026-08");
                }
            }
        }
        assertThat(august.stream().filter(w -> w.figure().name().equals("path-categories")))
                .allMatch(w -> w.leftOut() != null);
    }

    @Test
    void asNamesWaitForNoRunAndAreNotWrittenWhileARunHoldsTheCensus() throws Exception {
        Path census = Files.copy(dir.resolve("census.duckdb"), dir.resolve("locked.duckdb"));
        CensusDatabase db = CensusDatabase.of("duckdb:" + census, null, null);
        String[] report = {
            "report",
            "--sink",
            "duckdb:" + census,
            "--out",
            dir.resolve("locked-report").toString(),
            "--as-names",
            SharedData.file("pyasn/asnames.json.gz").toString()
        };
        try (Connection c = db.connect()) {
            c.createStatement().execute("DELETE FROM " + LedgerTables.AS_NAMES.name());
        }
        Cli.Run refused;
        // As a replay that has started holds it.
        try (AutoCloseable run = CensusRun.lock(db)) {
            refused = Cli.run(report);
        }
        assertThat(refused.exit()).as(refused.err()).isEqualTo(2);
        assertThat(refused.err().lines().toList())
                .singleElement()
                .asString()
                .startsWith("mpcensus report: another mpcensus run is writing to ")
                .endsWith("(--as-names writes census_as_names into the census)");
        assertThat(TableDump.rows(db, "SELECT COUNT(*) FROM " + LedgerTables.AS_NAMES.name()))
                .containsExactly("0");
        Cli.Run after = Cli.run(report);
        assertThat(after.exit()).as(after.err()).isZero();
        assertThat(TableDump.rows(db, "SELECT COUNT(*) FROM " + LedgerTables.AS_NAMES.name()))
                .doesNotContain("0");
    }

    @Test
    void aMistakeOfTheUsersIsOneLineAndExitCode2() throws Exception {
        String sink = "duckdb:" + dir.resolve("census.duckdb");
        Path notRank = Files.writeString(dir.resolve("not-rank.json"), "{\"1\": \"x\"}");
        for (List<String> wrong :
                List.of(
                        List.of("--sink", "duckdb:" + dir.resolve("missing.duckdb")),
                        List.of("--sink", sink, "--months", "2026-13..2027-01"),
                        List.of("--sink", sink, "--months", "2026-10..2026-08"),
                        List.of("--sink", sink, "--as-rank", notRank.toString()),
                        List.of(
                                "--sink",
                                sink,
                                "--peeringdb",
                                dir.resolve("none.json").toString()))) {
            List<String> c =
                    new ArrayList<>(
                            List.of(
                                    "./mpcensus",
                                    "report",
                                    "--out",
                                    dir.resolve("wrong").toString()));
            c.addAll(wrong);
            Process p = Launcher.start(c, dir, "report-wrong");
            assertThat(Launcher.ended(p, 120)).isTrue();
            String err = Files.readString(dir.resolve("report-wrong.err"));
            assertThat(p.exitValue()).as(wrong + ": " + err).isEqualTo(2);
            assertThat(err).as(wrong.toString()).startsWith("mpcensus report: ");
            assertThat(err.strip().lines().count()).as(err).isEqualTo(1);
        }
    }

    /** The report document's command, as written, on the sample's census: no file to find first. */
    @Test
    void theReadmesReportCommandRunsAsWritten() throws Exception {
        int at = readme.indexOf("\n## Report");
        int start = readme.indexOf("```bash\n", at) + "```bash\n".length();
        String command =
                readme.substring(start, readme.indexOf("```", start))
                        .replace("\\\n", " ")
                        .strip()
                        .replaceAll("\\s+", " ");
        assertThat(command).startsWith("./mpcensus report ");
        Path out = dir.resolve("readme-report");
        Path census = Files.copy(dir.resolve("census.duckdb"), dir.resolve("readme.duckdb"));
        String[] args =
                command.substring("./mpcensus ".length())
                        .replace("duckdb:mpcensus.duckdb", "duckdb:" + census)
                        .replace("--out report", "--out " + out)
                        .split(" ");
        for (int i = 0; i < args.length; i++) {
            // Files the document names are in the repository.
            if (args[i].startsWith("job/")) {
                args[i] = Launcher.ROOT.resolve(args[i]).toString();
            }
        }
        Cli.Run r = Cli.run(args);
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(out.resolve("index.html")).exists();
        assertThat(Files.readString(out.resolve("index.html"))).contains("SAMPLE-AS64496");
    }

    @Test
    void aFileOrNothingAsOutAndAChangedTableAreOneLineAndExitCode2() throws Exception {
        String sink = "duckdb:" + dir.resolve("census.duckdb");
        Path file = Files.writeString(dir.resolve("a-file"), "x");
        Path renamed = Files.copy(dir.resolve("census.duckdb"), dir.resolve("renamed.duckdb"));
        try (Connection c = CensusDatabase.of("duckdb:" + renamed, null, null).connect()) {
            c.createStatement()
                    .execute("ALTER TABLE census_counts RENAME COLUMN hosts TO host_count");
        }
        List<String[]> wrong =
                List.of(
                        new String[] {"report", "--sink", sink, "--out", file.toString()},
                        new String[] {"report", "--sink", sink, "--out", ""},
                        new String[] {
                            "report",
                            "--sink",
                            "duckdb:" + renamed,
                            "--out",
                            dir.resolve("renamed-report").toString()
                        });
        for (String[] args : wrong) {
            Cli.Run r = Cli.run(args);
            assertThat(r.exit()).as(String.join(" ", args) + ": " + r.err()).isEqualTo(2);
            assertThat(r.err().strip().lines().toList())
                    .as(String.join(" ", args))
                    .singleElement()
                    .asString()
                    .startsWith("mpcensus report: ")
                    .hasSizeLessThan(400);
        }
        assertThat(Files.readString(file)).isEqualTo("x");
    }

    /** ImageIO, kept apart so that AWT loads only here. */
    static final class ImageIOHolder {
        static BufferedImage read(Path png) throws Exception {
            return javax.imageio.ImageIO.read(png.toFile());
        }
    }

    @Test
    void inARealBrowserEveryFigureIsVisibleAndThePageReportsNoError() throws Exception {
        assertThat(HeadlessChromium.program())
                .as("chromium (apt-get install chromium) is needed for this test")
                .isNotNull();
        try (HeadlessChromium browser = HeadlessChromium.start()) {
            browser.open(out.resolve("index.html"));
            JsonNode figures =
                    browser.evaluate(
                            "Array.from(document.querySelectorAll('img.figure, section.figure'))"
                                    + ".map(e => { const r = e.getBoundingClientRect();"
                                    + " return { id: e.closest('[id]').id, tag: e.tagName,"
                                    + " loaded: e.tagName !== 'IMG' || (e.complete &&"
                                    + " e.naturalWidth > 0), x: r.left + window.scrollX,"
                                    + " y: r.top + window.scrollY, w: r.width, h: r.height }; })");
            List<String> seen = new ArrayList<>();
            for (JsonNode f : figures) {
                String id = f.path("id").asText();
                seen.add(id);
                assertThat(f.path("loaded").asBoolean()).as(id + " loaded").isTrue();
                assertThat(f.path("w").asDouble()).as(id).isGreaterThan(100);
                assertThat(f.path("h").asDouble()).as(id).isGreaterThan(50);
                BufferedImage shot =
                        browser.screenshot(
                                f.path("x").asDouble(),
                                f.path("y").asDouble(),
                                f.path("w").asDouble(),
                                f.path("h").asDouble());
                double inked = inked(shot);
                System.out.printf(
                        "%s: %.0f x %.0f px, %.1f %% drawn%n",
                        id, f.path("w").asDouble(), f.path("h").asDouble(), 100 * inked);
                assertThat(inked)
                        .as(id + ": share of the figure that is not background")
                        .isGreaterThan(0.02);
            }
            assertThat(seen).containsExactlyElementsOf(SAMPLE_FIGURES);
            assertThat(browser.errors()).isEmpty();
        }
    }

    @Test
    void theBrowserCheckSeesAMissingFigureAndAnError() throws Exception {
        assertThat(HeadlessChromium.program()).isNotNull();
        Path broken =
                Files.writeString(
                        out.resolve("broken.html"),
                        "<!DOCTYPE html><html><body><figure id=\"gone\"><img class=\"figure\""
                                + " src=\"no-such-figure.svg\"></figure>"
                                + "<script>console.error('broken on purpose')</script>"
                                + "</body></html>");
        try (HeadlessChromium browser = HeadlessChromium.start()) {
            browser.open(broken);
            JsonNode loaded =
                    browser.evaluate(
                            "Array.from(document.querySelectorAll('img.figure'))"
                                    + ".map(e => e.complete && e.naturalWidth > 0)");
            assertThat(loaded.get(0).asBoolean()).isFalse();
            assertThat(String.join("\n", browser.errors()))
                    .contains("broken on purpose")
                    .contains("no-such-figure.svg");
        } finally {
            Files.delete(broken);
        }
    }

    /** The share of pixels that are not (nearly) white. */
    static double inked(BufferedImage image) {
        long ink = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int rgb = image.getRGB(x, y);
                int r = (rgb >> 16) & 0xff;
                int g = (rgb >> 8) & 0xff;
                int b = rgb & 0xff;
                if (r < 235 || g < 235 || b < 235) {
                    ink++;
                }
            }
        }
        return ink / (double) ((long) image.getWidth() * image.getHeight());
    }
}
