package org.mpcensus.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mpcensus.job.sink.CensusDatabase;
import org.mpcensus.job.testing.Cli;
import org.mpcensus.job.testing.TableDump;
import org.mpcensus.probe.testing.SharedData;

/**
 * A folder of traces as users have them: a trace and a copy of it, a symbolic link to nothing, a
 * loop of links, a FIFO (kept as a dead letter). Each content is read once, what cannot be read is
 * named on stderr, and the run gives the tables of the one trace; a second run over the folder
 * reads nothing again.
 */
class TrafficInputsITCase {
    @TempDir Path dir;

    static final String FLOWS =
            "SELECT COUNT(*), SUM(packets_up + packets_down), SUM(bytes_up + bytes_down) FROM"
                    + " traffic_flows";
    static final String SHARES =
            "SELECT bucket, ip_version, tcp_flows, mptcp_flows FROM traffic_share ORDER BY 1, 2";

    @Test
    void aFolderWithACopyABrokenLinkAndALoopGivesTheTablesOfItsOneTrace() throws Exception {
        Path trace = SharedData.file("tcpdump/mptcp-fclose.pcap");
        Path folder = Files.createDirectories(dir.resolve("traces"));
        Path a = Files.copy(trace, folder.resolve("a.pcap"));
        Path b = Files.copy(trace, folder.resolve("b.pcap"));
        Path dangling = Files.createSymbolicLink(folder.resolve("gone.pcap"), dir.resolve("none"));
        Path sub = Files.createDirectories(folder.resolve("sub"));
        Path loop = Files.createSymbolicLink(sub.resolve("loop"), folder);
        Path fifo = folder.resolve("pipe.pcap");
        assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();

        String alone = "duckdb:" + dir.resolve("alone.duckdb");
        Cli.Run one = Cli.run("traffic", "--input", a.toString(), "--sink", alone);
        assertThat(one.exit()).as(one.err()).isZero();

        String all = "duckdb:" + dir.resolve("folder.duckdb");
        Cli.Run run = Cli.run("traffic", "--input", folder.toString(), "--sink", all);
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.err())
                .contains("mpcensus traffic: skipped " + b + ": the same content as " + a)
                .contains("mpcensus traffic: skipped " + dangling + ": a symbolic link to nothing")
                .contains("mpcensus traffic: skipped " + loop + ": a loop of symbolic links");
        // A trace without shares is named, not left out without a word.
        assertThat(run.out())
                .contains("pipe.pcap: no TCP flow of at least 5 packets")
                .doesNotContain("a.pcap: no TCP flow");
        CensusDatabase once = CensusDatabase.of(alone, null, null);
        CensusDatabase folderDb = CensusDatabase.of(all, null, null);
        assertThat(TableDump.rows(once, FLOWS).get(0)).doesNotStartWith("0 ");
        assertThat(TableDump.rows(folderDb, FLOWS)).isEqualTo(TableDump.rows(once, FLOWS));
        assertThat(TableDump.rows(folderDb, SHARES)).isEqualTo(TableDump.rows(once, SHARES));
        assertThat(TableDump.rows(folderDb, "SELECT source, reason FROM dead_letters"))
                .singleElement()
                .asString()
                .contains(fifo.toString())
                .contains("not a regular file");

        // The same folder again: its trace is in the census, nothing counts twice.
        Cli.Run again = Cli.run("traffic", "--input", folder.toString(), "--sink", all);
        assertThat(again.exit()).as(again.err()).isZero();
        assertThat(again.err()).contains("skipped " + a + ": the census holds its content already");
        assertThat(TableDump.rows(folderDb, FLOWS)).isEqualTo(TableDump.rows(once, FLOWS));
        assertThat(TableDump.rows(folderDb, SHARES)).isEqualTo(TableDump.rows(once, SHARES));
        assertThat(List.of(a, b)).allMatch(Files::exists);
    }

    @Test
    void twoTracesOfOneNameAreRefusedNotMerged() throws Exception {
        Path one = Files.createDirectories(dir.resolve("monday"));
        Path two = Files.createDirectories(dir.resolve("tuesday"));
        Path first =
                Files.copy(SharedData.file("tcpdump/mptcp-fclose.pcap"), one.resolve("link.pcap"));
        Path second =
                Files.copy(SharedData.file("tcpdump/mptcp-aa-echo.pcap"), two.resolve("link.pcap"));
        String sink = "duckdb:" + dir.resolve("names.duckdb");

        Cli.Run both =
                Cli.run("traffic", "--input", one.toString(), two.toString(), "--sink", sink);
        assertThat(both.exit()).isEqualTo(2);
        assertThat(both.err().strip())
                .isEqualTo(
                        "mpcensus traffic: two traces named link.pcap ("
                                + first
                                + " and "
                                + second
                                + "): the traffic tables name a trace by its file name; rename"
                                + " one, or read them into two censuses");

        Cli.Run monday = Cli.run("traffic", "--input", one.toString(), "--sink", sink);
        assertThat(monday.exit()).as(monday.err()).isZero();
        CensusDatabase db = CensusDatabase.of(sink, null, null);
        List<String> flows = TableDump.rows(db, FLOWS);
        Cli.Run tuesday = Cli.run("traffic", "--input", two.toString(), "--sink", sink);
        assertThat(tuesday.exit()).isEqualTo(2);
        assertThat(tuesday.err().lines().toList())
                .singleElement()
                .asString()
                .startsWith(
                        "mpcensus traffic: the census holds a trace named link.pcap already (read"
                                + " from "
                                + first);
        assertThat(TableDump.rows(db, FLOWS)).isEqualTo(flows);
    }
}
