package org.mpcensus.job.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Comparator;
import org.mpcensus.job.cli.MpcensusCommand;
import org.mpcensus.job.sink.CensusDatabase;

/**
 * What a run costs in a large census: a census of one month of N distinct IPv4 responders (the
 * shape of {@link ScaleBenchmark}: 0.5 % with MP_CAPABLE) is replayed as one run, then a second run
 * of M other responders of the same month continues it, from the command line as a user runs them,
 * into DuckDB. Prints the wall time of each run (the second one's continuation of the month is in
 * its stderr line), of the same M-responder run into an empty census, and checks the census counted
 * N + M hosts. Arguments: N (default 30,000,000), M (default 1,000,000), the parallelism (default
 * 2); run by {@code job/bench/bench continue} (under -Xmx2g).
 */
public final class ContinueBenchmark {
    private ContinueBenchmark() {}

    public static void main(String[] args) throws Exception {
        long census = args.length > 0 ? Long.parseLong(args[0]) : 30_000_000L;
        long run = args.length > 1 ? Long.parseLong(args[1]) : 1_000_000L;
        String parallelism = args.length > 2 ? args[2] : "2";
        Path dir = Files.createTempDirectory("mpcensus-continue");
        try {
            Path big = dir.resolve("census.csv");
            Path small = dir.resolve("run.csv");
            ScaleBenchmark.write(big, 0, census, census / 200);
            ScaleBenchmark.write(small, census, run, run / 200);
            String sink = "duckdb:" + dir.resolve("census.duckdb");
            double first = replay(sink, big, parallelism);
            double second = replay(sink, small, parallelism);
            double alone = replay("duckdb:" + dir.resolve("alone.duckdb"), small, parallelism);
            long hosts;
            try (Connection c = CensusDatabase.of(sink, null, null).connect();
                    Statement s = c.createStatement();
                    ResultSet r = s.executeQuery("SELECT SUM(hosts) FROM census_counts")) {
                r.next();
                hosts = r.getLong(1);
            }
            if (hosts != census + run) {
                throw new IllegalStateException(
                        "the census counted " + hosts + " hosts of " + (census + run));
            }
            System.out.printf(
                    "continue (parallelism %s, one month, port 443, v1): a census of %,d responders"
                            + " in one run: %.1f s; a second run of %,d other responders into it:"
                            + " %.1f s; the same run into an empty census: %.1f s; DuckDB file"
                            + " %,.1f MB; hosts counted %,d%n",
                    parallelism,
                    census,
                    first,
                    run,
                    second,
                    alone,
                    Files.size(dir.resolve("census.duckdb")) / 1e6,
                    hosts);
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** Replays a file from the command line; returns the wall time in seconds. */
    private static double replay(String sink, Path file, String parallelism) {
        long t0 = System.nanoTime();
        int exit =
                MpcensusCommand.commandLine()
                        .execute(
                                "replay",
                                "--input",
                                file.toString(),
                                "--sink",
                                sink,
                                "--no-summary",
                                "--parallelism",
                                parallelism);
        if (exit != 0) {
            throw new IllegalStateException("replay of " + file + " exited " + exit);
        }
        return (System.nanoTime() - t0) / 1e9;
    }
}
