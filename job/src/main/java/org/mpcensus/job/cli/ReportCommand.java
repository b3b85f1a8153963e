package org.mpcensus.job.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.flink.configuration.Configuration;
import org.mpcensus.job.report.CensusReport;
import org.mpcensus.job.report.MonthRange;
import org.mpcensus.job.report.ReportOptions;
import org.mpcensus.job.sink.CensusDatabase;
import org.mpcensus.job.sink.CensusRun;
import org.mpcensus.job.sink.SinkOptions;
import org.mpcensus.udf.enrich.AsDirectory;
import org.mpcensus.udf.enrich.EnrichmentOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code mpcensus report}: the census's figures and tables as a static HTML report. */
@Command(
        name = "report",
        mixinStandardHelpOptions = true,
        description = {
            "Write the census's figures and tables as a static report: index.html (no network"
                    + " needed to open it), each figure as SVG and PNG with the data behind it as"
                    + " CSV. Figures whose tables have no rows yet (no path verification, no HTTP"
                    + " timing, no traffic) are left out with one line saying why."
        })
public final class ReportCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "-D", paramLabel = "KEY=VALUE", description = "Any option by its key.")
    Map<String, String> dynamic = Map.of();

    Configuration configuration() {
        Configuration conf = Configuration.fromMap(dynamic);
        Flags.apply(spec, conf);
        return conf;
    }

    @Override
    public Integer call() throws Exception {
        // Charts are drawn off screen: no display is needed, and one that is set is not used.
        System.setProperty("java.awt.headless", "true");
        Configuration conf = configuration();
        CensusDatabase db;
        MonthRange range;
        AsDirectory ases;
        try {
            db = CensusDatabase.fromConfiguration(conf);
            String url = conf.get(SinkOptions.URL);
            if (url.startsWith("duckdb:") && !Files.exists(Path.of(url.substring(7)))) {
                throw new IllegalArgumentException(
                        "no census at "
                                + url.substring(7)
                                + " (run a census into it first, or give --sink)");
            }
            String out = conf.get(ReportOptions.OUT);
            if (out.isBlank()) {
                throw new IllegalArgumentException("--out '" + out + "' names no directory");
            }
            if (Files.exists(Path.of(out)) && !Files.isDirectory(Path.of(out))) {
                throw new IllegalArgumentException(
                        "--out " + out + " is a file: the report is a directory of files");
            }
            range = MonthRange.parse(conf.get(ReportOptions.MONTHS));
            ases =
                    AsDirectory.load(
                            path(conf, EnrichmentOptions.AS_NAMES),
                            path(conf, ReportOptions.AS_RANK),
                            path(conf, ReportOptions.PEERINGDB));
        } catch (IllegalArgumentException | IOException e) {
            throw new UserError(e.getMessage());
        }
        Path dir = Path.of(conf.get(ReportOptions.OUT));
        List<CensusReport.Written> written;
        int named;
        // Writing census_as_names is writing the census: not while a run stages its own copy.
        try (AutoCloseable writer = ases.isEmpty() ? null : CensusRun.lock(db)) {
            CensusReport report = new CensusReport(db, range, ases);
            written = report.write(dir);
            named = report.publishNames();
        } catch (CensusRun.Refused e) {
            throw new UserError(
                    e.getMessage() + " (--as-names writes census_as_names into the census)");
        } catch (SQLException e) {
            // A database's message may run over many lines: its first says what is wrong.
            String m = String.valueOf(e.getMessage()).strip();
            throw new UserError(
                    "cannot read the census in "
                            + db
                            + " (a table written by another version, or changed by hand?): "
                            + m.lines().findFirst().orElse(m));
        }
        for (CensusReport.Written w : written) {
            System.out.println(
                    w.leftOut() == null
                            ? String.format("%-16s %5d rows", w.figure().name(), w.rows().size())
                            : String.format("%-16s left out: %s", w.figure().name(), w.leftOut()));
        }
        if (named > 0) {
            System.out.println(named + " ASes named in census_as_names (for dashboards)");
        }
        System.out.println("report: " + dir.resolve("index.html").toAbsolutePath());
        return 0;
    }

    private static Path path(
            Configuration conf, org.apache.flink.configuration.ConfigOption<String> option) {
        // A FIFO or a directory would hang or fail the loader: only a file is read.
        return Preflight.fileToRead(
                "--" + option.key().substring(option.key().lastIndexOf('.') + 1),
                conf.getOptional(option).map(Path::of).orElse(null));
    }
}
