package org.mpcensus.udf.enrich;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.mpcensus.probe.testing.SharedData;

class Pfx2AsTableTest {

    @ParameterizedTest
    @CsvSource({
        "1.0.0.0, 1",
        "1.0.0.3, 1",
        "1.0.0.4, 2",
        "1.0.0.255, 2",
        "1.0.1.0, 0",
        "2.0.0.9, 3",
        "3.0.0.1, 5",
        "3.127.255.255, 5",
        "3.128.0.0, 4",
        "3.255.255.255, 4",
        "5.0.0.0, 0",
    })
    void pyasnFakeTableFollowsItsNesting(String ip, long asn) throws IOException {
        Pfx2AsTable t = Pfx2AsTable.load(SharedData.file("pyasn/ipasn.fake"));
        assertThat(t.lookup(ip)).isEqualTo(asn);
    }

    @Test
    void realRouteViewsTableIsStableAtPrefixEdges() throws IOException {
        Pfx2AsTable t = Pfx2AsTable.load(SharedData.file("pyasn/ipasn_20140513.dat.gz"));
        assertThat(t.size()).isEqualTo(512_621);
        // 8.8.8.0/24 was originated by Google (AS15169) in 2014
        assertThat(t.lookup("8.8.8.0")).isEqualTo(15169);
        assertThat(t.lookup("8.8.8.255")).isEqualTo(15169);
        assertThat(t.lookup("8.8.9.0")).isEqualTo(3356);

        // Reference: a plain map of "network/len" probed from /32 down, for the first and last
        // address of every 97th prefix and the addresses just outside it.
        Map<String, Long> byPrefix = new HashMap<>();
        List<long[]> sample = new ArrayList<>();
        try (BufferedReader r =
                new BufferedReader(
                        new InputStreamReader(
                                new GZIPInputStream(
                                        Files.newInputStream(
                                                SharedData.file("pyasn/ipasn_20140513.dat.gz"))),
                                StandardCharsets.US_ASCII))) {
            String line;
            int n = 0;
            while ((line = r.readLine()) != null) {
                if (line.startsWith(";")) {
                    continue;
                }
                String[] f = line.split("[/\t]");
                long net = toLong(f[0]);
                int len = Integer.parseInt(f[1]);
                byPrefix.putIfAbsent(net + "/" + len, Long.parseLong(f[2]));
                if (n++ % 97 == 0) {
                    long size = 1L << (32 - len);
                    sample.add(new long[] {net, net + size - 1, net - 1, net + size});
                }
            }
        }
        int checked = 0;
        for (long[] edges : sample) {
            for (long ip : edges) {
                if (ip < 0 || ip > 0xffffffffL) {
                    continue;
                }
                long want = 0;
                for (int len = 32; len >= 0; len--) {
                    long net = len == 0 ? 0 : ip & (0xffffffffL << (32 - len)) & 0xffffffffL;
                    Long asn = byPrefix.get(net + "/" + len);
                    if (asn != null) {
                        want = asn;
                        break;
                    }
                }
                assertThat(t.lookup(toText(ip))).as(toText(ip)).isEqualTo(want);
                checked++;
            }
        }
        assertThat(checked).isGreaterThan(20_000);
    }

    private static long toLong(String dotted) {
        long v = 0;
        for (String p : dotted.split("\\.")) {
            v = (v << 8) | Integer.parseInt(p);
        }
        return v;
    }

    private static String toText(long ip) {
        return (ip >>> 24)
                + "."
                + ((ip >>> 16) & 255)
                + "."
                + ((ip >>> 8) & 255)
                + "."
                + (ip & 255);
    }

    @Test
    void ipv6AndCaidaFormsWithMultiOriginAndSets() throws IOException {
        String pfx2as =
                "2001:db8::\t32\t64496\n"
                        + "2001:db8:1::\t48\t64497_64498\n"
                        + "198.51.100.0\t24\t64499,64500\n"
                        + "198.51.100.128\t25\t{64501}\n";
        Pfx2AsTable t =
                Pfx2AsTable.load(
                        new ByteArrayInputStream(pfx2as.getBytes(StandardCharsets.US_ASCII)), "t");
        assertThat(t.lookup("2001:db8::1")).isEqualTo(64496);
        assertThat(t.lookup("2001:db8:1:ffff:ffff:ffff:ffff:ffff")).isEqualTo(64497);
        assertThat(t.lookup("2001:db8:2::")).isEqualTo(64496);
        assertThat(t.lookup("2001:db9::")).isEqualTo(0);
        assertThat(t.lookup("198.51.100.127")).isEqualTo(64499);
        assertThat(t.lookup("198.51.100.128")).isEqualTo(64501);
    }

    @Test
    void badLineNamesItsNumber() {
        assertThatThrownBy(
                        () ->
                                Pfx2AsTable.load(
                                        new ByteArrayInputStream(
                                                "; c\n1.0.0.0/8\t1\nfoo\n".getBytes()),
                                        "t.dat"))
                .hasMessageContaining("t.dat line 3");
    }
}
