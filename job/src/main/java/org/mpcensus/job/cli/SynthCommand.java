package org.mpcensus.job.cli;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.YearMonth;
import java.util.List;
import java.util.concurrent.Callable;
import org.mpcensus.job.census.SyntheticScan;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code mpcensus synth}: writes a synthetic ZMap-CSV archive and its ASN table, for trying things
 * out.
 */
@Command(
        name = "synth",
        mixinStandardHelpOptions = true,
        description = {
            "Write a synthetic scan archive (ZMap fork CSV) with mirrors, key rewriters, MPTCP v0/v1"
                    + " hosts, plain TCP, closed ports and malformed options, and a matching pyasn"
                    + " table. Addresses from 198.18.0.0/15 and 2001:db8::/32; not a measurement."
        })
public final class SynthCommand implements Callable<Integer> {

    @Option(
            names = "--out",
            required = true,
            paramLabel = "FILE",
            description = "CSV file to write.")
    Path out;

    @Option(
            names = "--asn-out",
            paramLabel = "FILE",
            description = "Also write the pyasn table here.")
    Path asnOut;

    @Option(
            names = "--hosts",
            defaultValue = "400",
            description = "Hosts (default: ${DEFAULT-VALUE}).")
    int hosts;

    @Option(
            names = "--months",
            split = ",",
            defaultValue = "2026-08,2026-09,2026-10",
            description = "Months scanned (default: ${DEFAULT-VALUE}).")
    List<YearMonth> months;

    @Option(
            names = "--seed",
            defaultValue = "7",
            description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(
            names = "--broken-rows",
            defaultValue = "0",
            description = "Append this many deliberately broken rows (default: ${DEFAULT-VALUE}).")
    int brokenRows;

    @Override
    public Integer call() throws IOException {
        Preflight.fileToWrite("--out", out);
        Preflight.fileToWrite("--asn-out", asnOut);
        try (Writer w =
                new BufferedWriter(
                        new OutputStreamWriter(Files.newOutputStream(out), StandardCharsets.UTF_8),
                        1 << 16)) {
            w.write(
                    "# Synthetic scan archive, not a measurement. Produced by: mpcensus synth --hosts "
                            + hosts
                            + " --months "
                            + String.join(",", months.stream().map(YearMonth::toString).toList())
                            + " --seed "
                            + seed
                            + " --broken-rows "
                            + brokenRows
                            + "\n");
            w.write(
                    "# Columns: the ZMap fork's CSV fields, plus timestamp_ts/timestamp_us (capture time)"
                            + " and probed_version. Addresses: 198.18.0.0/15 and 2001:db8::/32.\n");
            long rows = new SyntheticScan(seed, hosts, months).write(w);
            for (int i = 0; i < brokenRows; i++) {
                w.write(BROKEN_ROWS[i % BROKEN_ROWS.length]);
                w.write('\n');
            }
            System.err.println("wrote " + (rows + brokenRows) + " rows to " + out);
        }
        if (asnOut != null) {
            Files.writeString(asnOut, SyntheticScan.asnTable(), StandardCharsets.US_ASCII);
        }
        return 0;
    }

    /** Rows broken the ways real archives are: cut, non-hex, odd hex, bad address, bad flag. */
    public static final String[] BROKEN_ROWS = {
        "198.18.0.250,198.19.255.1,443,40001,1,60,65160,0x020405b4",
        "198.18.0.251,198.19.255.1,443,40002,1,60,65160,0xZZ,MSS-,--,1,1788220800,0,1",
        "198.18.0.252,198.19.255.1,443,40003,1,60,65160,0x020405b,MSS-,--,1,1788220800,0,1",
        "198.18.300.253,198.19.255.1,443,40004,1,60,65160,0x020405b4,MSS-,--,1,1788220800,0,1",
        "198.18.0.254,198.19.255.1,443,40005,1,60,65160,0x020405b4,MSS-,--,yes,1788220800,0,1",
    };
}
