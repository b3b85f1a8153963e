package org.mpcensus.job.census;

import java.io.IOException;
import java.io.Writer;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import org.mpcensus.probe.packet.Bytes;
import org.mpcensus.probe.packet.IpAddress;
import org.mpcensus.probe.packet.SynProbe;

/**
 * Generates a synthetic scan archive in the ZMap fork's CSV form (plus the {@code timestamp_ts},
 * {@code timestamp_us} and {@code probed_version} columns), with the behaviours a real scan meets:
 * Linux MPTCPv1 hosts, legacy v0 hosts, option-mirroring and key-rewriting middleboxes, plain TCP,
 * closed ports and malformed options. Synthetic, not a measurement: addresses come from
 * 198.18.0.0/15 and 2001:db8::/32 and ASes from the documentation ranges, so {@link #asnTable()}
 * maps them. Deterministic for a seed.
 */
public final class SyntheticScan {

    /**
     * Host behaviours and their weights in each mix (test: per 100 hosts; Internet: per 100,000).
     */
    enum Behaviour {
        PLAIN(60, 80_000),
        CLOSED(12, 19_700),
        MIRROR(12, 240),
        LINUX_V1(8, 30),
        LEGACY_V0(3, 10),
        KEY_REWRITER(3, 10),
        MALFORMED(2, 10);

        final int testWeight;
        final int internetWeight;

        Behaviour(int testWeight, int internetWeight) {
            this.testWeight = testWeight;
            this.internetWeight = internetWeight;
        }

        int weight(Mix mix) {
            return mix == Mix.TEST ? testWeight : internetWeight;
        }
    }

    /** How common each behaviour is. */
    public enum Mix {
        /** Every behaviour often, middleboxes clustered in two networks: for tests. */
        TEST,
        /**
         * As on the Internet: about 0.3 % of replies carry MP_CAPABLE, most of them mirrored by
         * middleboxes, a few real hosts; for benchmarks.
         */
        INTERNET
    }

    public static final String HEADER =
            "saddr,daddr,sport,dport,ipid,ttl,window,optionshex,optionstext,mptcpkey,success,"
                    + "timestamp_ts,timestamp_us,probed_version";

    /** The documentation ASNs the synthetic networks belong to (RFC 5398). */
    static final long FIRST_V4_ASN = 64496;

    static final long FIRST_V6_ASN = 65536;

    /** A key with the Hamming weight of the fork's probe key (16), as a rewriting box returns. */
    static final long REWRITTEN_KEY = 0xff00ff0000000000L;

    private static final String COMMON = "020405b40402080a0000000100000000010303";

    private final long seed;
    private final int hosts;
    private final List<YearMonth> months;
    private final Mix mix;

    public SyntheticScan(long seed, int hosts, List<YearMonth> months) {
        this(seed, hosts, months, Mix.TEST);
    }

    public SyntheticScan(long seed, int hosts, List<YearMonth> months, Mix mix) {
        this.seed = seed;
        this.hosts = hosts;
        this.months = months;
        this.mix = mix;
    }

    /** The pfx2as lines (pyasn form) for the synthetic networks: 16 IPv4 /19s and 16 IPv6 /36s. */
    public static String asnTable() {
        StringBuilder s = new StringBuilder("; synthetic networks of mpcensus synth\n");
        for (int i = 0; i < 16; i++) {
            s.append(v4(i, 0)).append("/19\t").append(FIRST_V4_ASN + i).append('\n');
        }
        for (int i = 0; i < 16; i++) {
            s.append(v6(i, 0)).append("/36\t").append(FIRST_V6_ASN + i).append('\n');
        }
        return s.toString();
    }

    private static String v4(int net, int host) {
        long base = (198L << 24) | (18L << 16);
        long a = base + ((long) net << 13) + host;
        return IpAddress.format(
                new byte[] {(byte) (a >>> 24), (byte) (a >>> 16), (byte) (a >>> 8), (byte) a});
    }

    private static String v6(int net, int host) {
        byte[] a = new byte[16];
        Bytes.putInt(a, 0, 0x20010db8L);
        a[4] = (byte) (net << 4);
        Bytes.putInt(a, 12, host);
        return IpAddress.format(a);
    }

    /** Writes the header and all rows; returns the number of rows. */
    public long write(Writer out) throws IOException {
        out.write(HEADER);
        out.write('\n');
        long rows = 0;
        for (int h = 0; h < hosts; h++) {
            SplittableRandom hostRandom = new SplittableRandom(seed * 1_000_003L + h);
            int net = hostRandom.nextInt(16);
            boolean v6 = hostRandom.nextInt(5) == 0;
            String addr = v6 ? v6(net, h + 1) : v4(net, h + 1);
            Behaviour b = behaviour(hostRandom, net, mix);
            boolean only443 = hostRandom.nextInt(4) == 0;
            for (int m = 0; m < months.size(); m++) {
                // Some hosts come and go between months.
                if (hostRandom.nextInt(10) == 0) {
                    continue;
                }
                long monthStart =
                        months.get(m).atDay(1).atStartOfDay().toEpochSecond(ZoneOffset.UTC);
                for (int port : new int[] {80, 443}) {
                    for (int version = 0; version <= 1; version++) {
                        long t =
                                monthStart
                                        + 86_400L * (1 + hostRandom.nextInt(20))
                                        + hostRandom.nextInt(86_400);
                        int micros = hostRandom.nextInt(1_000_000);
                        String row =
                                row(
                                        addr,
                                        port,
                                        version,
                                        b,
                                        only443 && port == 80,
                                        hostRandom,
                                        t,
                                        micros);
                        out.write(row);
                        out.write('\n');
                        rows++;
                    }
                }
            }
        }
        return rows;
    }

    private static Behaviour behaviour(SplittableRandom r, int net, Mix mix) {
        // In the test mix middleboxes cluster in networks: net 3 mirrors, net 7 rewrites keys.
        if (mix == Mix.TEST && net == 3 && r.nextInt(3) > 0) {
            return Behaviour.MIRROR;
        }
        if (mix == Mix.TEST && net == 7 && r.nextInt(3) > 0) {
            return Behaviour.KEY_REWRITER;
        }
        int total = 0;
        for (Behaviour b : Behaviour.values()) {
            total += b.weight(mix);
        }
        int x = r.nextInt(total);
        for (Behaviour b : Behaviour.values()) {
            x -= b.weight(mix);
            if (x < 0) {
                return b;
            }
        }
        return Behaviour.PLAIN;
    }

    private static String row(
            String addr,
            int port,
            int version,
            Behaviour b,
            boolean closed,
            SplittableRandom r,
            long t,
            int micros) {
        String mptcp;
        boolean rst = closed || b == Behaviour.CLOSED;
        switch (b) {
            case MIRROR -> mptcp = HexFormat.of().formatHex(probeOption(version));
            case LINUX_V1 -> mptcp = version == 1 ? "1e0c0101" + Bytes.hex64(r.nextLong()) : "";
            case LEGACY_V0 -> mptcp = "1e0c0081" + Bytes.hex64(r.nextLong());
            case KEY_REWRITER -> mptcp = "1e0c0" + version + "81" + Bytes.hex64(REWRITTEN_KEY);
            case MALFORMED -> mptcp = "1e0501810c";
            default -> mptcp = "";
        }
        String options = rst ? "" : COMMON + "07" + mptcp;
        String text = rst ? "" : "MSS-SACK-TS-N-WS-" + (mptcp.isEmpty() ? "" : "MPTCP-");
        String key = mptcp.length() >= 24 ? "0x" + mptcp.substring(8, 24) : "--";
        int ttl = 40 + r.nextInt(24);
        return String.join(
                ",",
                addr,
                addr.indexOf(':') >= 0 ? "2001:db8:ffff::1" : "198.19.255.1",
                Integer.toString(port),
                Integer.toString(40000 + r.nextInt(20000)),
                Integer.toString(r.nextInt(65536)),
                Integer.toString(ttl),
                rst ? "0" : "65160",
                options.isEmpty() ? "" : "0x" + options,
                text,
                key,
                rst ? "0" : "1",
                Long.toString(t),
                Integer.toString(micros),
                Integer.toString(version));
    }

    private static byte[] probeOption(int version) {
        byte[] withMss = SynProbe.options(version, 0x81, SynProbe.ZMAP_FORK_V0_KEY);
        byte[] option = new byte[withMss.length - 4];
        System.arraycopy(withMss, 4, option, 0, option.length);
        return option;
    }
}
