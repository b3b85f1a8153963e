package org.mpcensus.probe.archive;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.mpcensus.probe.event.CaptureTime;
import org.mpcensus.probe.event.CensusInput;
import org.mpcensus.probe.event.DeadLetter;
import org.mpcensus.probe.event.Probe;
import org.mpcensus.probe.event.ProbeReply;
import org.mpcensus.probe.event.Reply;
import org.mpcensus.probe.event.ReplyType;
import org.mpcensus.probe.packet.Bytes;
import org.mpcensus.probe.packet.IcmpQuote;
import org.mpcensus.probe.packet.IpAddress;
import org.mpcensus.probe.packet.PacketDecoder;
import org.mpcensus.probe.packet.SynProbe;
import org.mpcensus.probe.packet.TcpOptionList;
import org.mpcensus.probe.testing.SharedData;

/**
 * The archive fuzzer: inputs mutated from a seed corpus (the real captures of {@code shared/data},
 * the sample archive of {@code job/samples}, and hand-made rows), and the invariant every input
 * must keep: the replay's file format yields replies and dead letters (a non-null reason of at most
 * {@link DeadLetter#MAX_REASON} characters), never an exception; every reply's capture time is in
 * range and it survives the write-parse round trip of the reply archive. {@link ArchiveFuzzTest}
 * runs it for a bounded number of tries in the build; {@link #main} runs it for minutes ({@code
 * job/bench/bench fuzz MINUTES}).
 */
final class ArchiveFuzz {

    /** What is fuzzed: one file kind of the replay, or a decoder on its own. */
    enum Target {
        CSV,
        JSONL,
        PCAP,
        GZIP,
        OPTIONS,
        FRAMES,
        ICMP_QUOTES,
        ROUND_TRIP
    }

    private static final ArchiveBulkFormat FORMAT = new ArchiveBulkFormat(null, settings());

    static ArchiveSettings settings() {
        org.apache.flink.configuration.Configuration c =
                new org.apache.flink.configuration.Configuration();
        c.set(ArchiveOptions.MAX_LINE_BYTES, 4096);
        return ArchiveSettings.fromConfiguration(c);
    }

    private final List<byte[]> csv = new ArrayList<>();
    private final List<byte[]> jsonl = new ArrayList<>();
    private final List<byte[]> captures = new ArrayList<>();
    private final List<byte[]> frames = new ArrayList<>();

    /** ICMP error messages as raw IP packets: real ones from tcpdump's suite, quotes of probes. */
    private final List<byte[]> icmp = new ArrayList<>();

    ArchiveFuzz() {
        try {
            csv.add(Files.readAllBytes(samples().resolve("zmap-sample.csv")));
            csv.add(
                    ("saddr,sport,success,optionshex,timestamp_str,probe_key\n"
                                    + "198.18.0.1,443,1,0x020405b41e0c0081aabbccddeeff0011,"
                                    + "2021-05-01T10:00:00.123+0000,0c0c0c0c0c0c0c0c\n"
                                    + "\"2001:db8::1\",80,0,--,2021-05-01 10:00:00,\n"
                                    + "# comment\n\n198.18.0.2,80,1,,2021-05-01T10:00:00Z,\n")
                            .getBytes(StandardCharsets.UTF_8));
            for (String f :
                    List.of(
                            "ptcpdump/mptcp.pcap",
                            "ptcpdump/tfo.pcap",
                            "tcpdump/mptcp-aa-echo.pcap",
                            "tcpdump/mptcp-dss-oobr.pcap",
                            "tcpdump/mptcp-fclose.pcap")) {
                byte[] pcap = Files.readAllBytes(SharedData.file(f));
                captures.add(pcap);
                List<CapturedFrame> fs = CaptureReaderTest.readAll(pcap);
                captures.add(CaptureReaderTest.pcapng(fs, ByteOrder.BIG_ENDIAN));
                fs.forEach(x -> frames.add(x.data()));
            }
            for (String f :
                    List.of(
                            "tcpdump/mpls-traceroute.pcap",
                            "tcpdump/icmp-rfc5837.pcap",
                            "tcpdump/icmp-cksum-oobr-1.pcap",
                            "tcpdump/icmpv6-rfc7112.pcap",
                            "testbed/path-quotes.pcap")) {
                byte[] pcap = Files.readAllBytes(Path.of("src/test/resources/captures").resolve(f));
                captures.add(pcap);
                for (CapturedFrame x : CaptureReaderTest.readAll(pcap)) {
                    PacketDecoder.Result r = PacketDecoder.decodeFrame(x.linkType(), x.data());
                    if (r.icmp() != null) {
                        int link =
                                switch (x.linkType()) {
                                    case PacketDecoder.LINKTYPE_PPP -> 4;
                                    case PacketDecoder.LINKTYPE_ETHERNET -> 14;
                                    case PacketDecoder.LINKTYPE_LINUX_SLL -> 16;
                                    default -> 0;
                                };
                        icmp.add(Arrays.copyOfRange(x.data(), link, x.data().length));
                    }
                }
            }
            for (int version = 0; version <= 1; version++) {
                for (String us : List.of("198.18.0.1", "2001:db8::1")) {
                    icmp.add(
                            quoteOf(
                                    SynProbe.encode(
                                            IpAddress.parse(us),
                                            IpAddress.parse(
                                                    us.contains(":")
                                                            ? "2001:db8:1::7"
                                                            : "198.18.1.7"),
                                            40000,
                                            443,
                                            12345,
                                            version,
                                            0x0c0c0c0c0c0c0c0cL)));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        StringBuilder lines = new StringBuilder();
        for (byte[] c : List.of(csv.get(0), captures.get(0))) {
            String name = c == csv.get(0) ? "s.csv" : "s.pcap";
            for (CensusInput r : records(c, name)) {
                if (r.reply() != null) {
                    lines.append(ReplyArchiveJson.write(r.reply())).append('\n');
                }
            }
        }
        jsonl.add(lines.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** {@code job/samples}, from any module directory. */
    static Path samples() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isDirectory(dir.resolve("job/samples"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("job/samples not found above " + Path.of(""));
        }
        return dir.resolve("job/samples");
    }

    /** One input for a target, drawn with {@code random}. */
    byte[] input(Target target, Random random) {
        return switch (target) {
            case CSV -> mutate(excerpt(pick(csv, random), 1, random), random);
            case JSONL -> mutate(excerpt(pick(jsonl, random), 0, random), random);
            case PCAP -> mutate(pick(captures, random), random);
            case GZIP -> {
                List<byte[]> all = new ArrayList<>(csv);
                all.addAll(captures);
                byte[] plain =
                        random.nextInt(4) == 0
                                ? mutate(pick(all, random), random)
                                : pick(all, random);
                yield mutate(gzip(plain), random);
            }
            case OPTIONS -> {
                byte[] b = new byte[random.nextInt(61)];
                random.nextBytes(b);
                if (random.nextBoolean() && b.length >= 4) {
                    b[0] = 30; // MPTCP
                    b[1] = (byte) random.nextInt(b.length + 1);
                    b[2] = (byte) (random.nextInt(4) << 4 | random.nextInt(2));
                }
                yield b;
            }
            case FRAMES -> mutate(pick(frames, random), random);
            case ICMP_QUOTES -> mutate(pick(icmp, random), random);
            case ROUND_TRIP -> new byte[0];
        };
    }

    /** Checks the invariant on one input; throws {@link AssertionError} naming what broke. */
    void check(Target target, byte[] input, Random random) {
        switch (target) {
            case CSV -> records(input, "fuzz.csv");
            case JSONL -> records(input, "fuzz.jsonl");
            case PCAP -> records(input, random.nextBoolean() ? "fuzz.pcap" : "fuzz.pcapng");
            case GZIP -> records(input, random.nextBoolean() ? "fuzz.csv.gz" : "fuzz.pcap.gz");
            case OPTIONS -> TcpOptionList.decode(input);
            case FRAMES -> {
                for (int link :
                        new int[] {
                            PacketDecoder.LINKTYPE_ETHERNET,
                            PacketDecoder.LINKTYPE_RAW,
                            PacketDecoder.LINKTYPE_LINUX_SLL,
                            PacketDecoder.LINKTYPE_LINUX_SLL2,
                            PacketDecoder.LINKTYPE_NULL
                        }) {
                    PacketDecoder.decodeFrame(link, input);
                }
            }
            case ICMP_QUOTES -> {
                for (int link :
                        new int[] {PacketDecoder.LINKTYPE_RAW, PacketDecoder.LINKTYPE_PPP}) {
                    PacketDecoder.Result r = PacketDecoder.decodeFrame(link, input);
                    if (r.icmp() != null) {
                        checkQuote(r.icmp(), input.length);
                    } else if (r.error() != null && r.error().message().length() > 500) {
                        throw new AssertionError("unbounded reason: " + r.error());
                    }
                }
            }
            case ROUND_TRIP -> roundTrip(reply(random));
        }
    }

    /** A decoded quote stays inside its input and its parts agree with each other. */
    static void checkQuote(IcmpQuote q, int inputLength) {
        var quoted = q.quoted();
        if (q.quoteLength() < 0
                || q.quoteLength() > inputLength
                || quoted.transportBytes() < 0
                || quoted.headerBytes() + quoted.transportBytes() != q.quoteLength()
                || quoted.tcp() != null && quoted.transportBytes() < 20
                || quoted.protocol() == 6 && (quoted.seq() < 0 || quoted.dport() < 0)) {
            throw new AssertionError("inconsistent quote " + q);
        }
    }

    /**
     * An ICMP(v6) time exceeded from a router quoting the whole probe, as a raw IP packet
     * (checksums are not checked by the decoder and left zero).
     */
    static byte[] quoteOf(byte[] probe) {
        boolean v4 = (probe[0] & 0xf0) == 0x40;
        int header = v4 ? 20 : 40;
        byte[] p = new byte[header + 8 + probe.length];
        if (v4) {
            p[0] = 0x45;
            Bytes.putShort(p, 2, p.length);
            p[9] = 1;
            System.arraycopy(probe, 16, p, 12, 4);
            System.arraycopy(probe, 12, p, 16, 4);
        } else {
            p[0] = 0x60;
            Bytes.putShort(p, 4, 8 + probe.length);
            p[6] = 58;
            System.arraycopy(probe, 24, p, 8, 16);
            System.arraycopy(probe, 8, p, 24, 16);
        }
        p[8] = 64;
        p[header] = (byte) (v4 ? 11 : 3);
        System.arraycopy(probe, 0, p, header + 8, probe.length);
        return p;
    }

    /** Every record of one file's bytes, read as the replay's format reads a file, each checked. */
    static List<CensusInput> records(byte[] file, String name) {
        List<CensusInput> out = new ArrayList<>();
        try (ArchiveBulkFormat.ArchiveReader reader =
                new ArchiveBulkFormat.ArchiveReader(
                        FORMAT.decoder(new ByteArrayInputStream(file), name, name), name, 0)) {
            CensusInput r;
            while ((r = reader.decodeNext()) != null) {
                checkRecord(r);
                out.add(r);
                if (out.size() > 1_000_000) {
                    throw new AssertionError("more records than the input could hold");
                }
            }
        } catch (IOException e) {
            throw new AssertionError("closing the decoder failed", e);
        }
        return out;
    }

    static void checkRecord(CensusInput r) {
        if ((r.reply() == null) == (r.deadLetter() == null)) {
            throw new AssertionError("a record is exactly one of reply or dead letter: " + r);
        }
        if (r.deadLetter() != null) {
            String reason = r.deadLetter().reason();
            if (reason == null || reason.isBlank() || reason.length() > DeadLetter.MAX_REASON) {
                throw new AssertionError("dead letter without a bounded reason: " + reason);
            }
            return;
        }
        long t = r.reply().captureTimeMicros();
        if (t < CaptureTime.FIRST || t > CaptureTime.LAST) {
            throw new AssertionError("capture time out of range: " + t);
        }
        roundTrip(r.reply());
    }

    /** A reply written to the archive reads back as the same reply. */
    static void roundTrip(ProbeReply r) {
        String line = ReplyArchiveJson.write(r);
        ProbeReply back;
        try {
            back = ReplyArchiveJson.parse(line);
        } catch (IllegalArgumentException e) {
            throw new AssertionError("archive line cannot be read back: " + line, e);
        }
        String again = ReplyArchiveJson.write(back);
        if (!again.equals(line)) {
            throw new AssertionError("round trip changed the reply: " + line + " -> " + again);
        }
    }

    /** A reply with any value the decoders can produce. */
    static ProbeReply reply(Random random) {
        // Decoders and the prober write addresses in canonical form (RFC 5952 for IPv6).
        String target =
                IpAddress.format(
                        IpAddress.parse(
                                random.nextBoolean()
                                        ? "198.18."
                                                + random.nextInt(256)
                                                + "."
                                                + random.nextInt(256)
                                        : "2001:db8::"
                                                + Integer.toHexString(random.nextInt(0x10000))));
        byte[] probeOptions = new byte[random.nextInt(41)];
        random.nextBytes(probeOptions);
        byte[] options = new byte[random.nextInt(41)];
        random.nextBytes(options);
        TcpOptionList decoded = TcpOptionList.decode(options);
        long time =
                CaptureTime.FIRST
                        + (long) (random.nextDouble() * (CaptureTime.LAST - CaptureTime.FIRST));
        return new ProbeReply(
                random.nextBoolean()
                        ? time
                        : random.nextBoolean() ? CaptureTime.FIRST : CaptureTime.LAST,
                "v" + random.nextInt(10),
                "scan-" + random.nextInt(10),
                new Probe(target, random.nextInt(65536), random.nextInt(3) - 1, probeOptions),
                new Reply(
                        random.nextBoolean() ? ReplyType.SYN_ACK : ReplyType.RST,
                        random.nextInt(257) - 1,
                        random.nextInt(65537) - 1,
                        random.nextInt(65537) - 1,
                        options,
                        decoded.mpCapable(),
                        null));
    }

    /**
     * The first {@code keep} lines of a text seed (its header) and up to 20 lines from a random
     * place in the rest: small inputs make many tries.
     */
    static byte[] excerpt(byte[] text, int keep, Random random) {
        String[] lines = new String(text, StandardCharsets.UTF_8).split("\n", -1);
        int firstData = 0;
        while (firstData < lines.length && (lines[firstData].startsWith("#"))) {
            firstData++;
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < firstData + keep && i < lines.length; i++) {
            out.append(lines[i]).append('\n');
        }
        int from = Math.min(lines.length, firstData + keep);
        if (from < lines.length) {
            int start = from + random.nextInt(lines.length - from);
            int n = 1 + random.nextInt(20);
            for (int i = start; i < Math.min(lines.length, start + n); i++) {
                out.append(lines[i]).append('\n');
            }
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] pick(List<byte[]> seeds, Random random) {
        return seeds.get(random.nextInt(seeds.size()));
    }

    /** 1 to 8 mutations: bit flips, random bytes, inserts, deletions, duplications, cuts. */
    static byte[] mutate(byte[] seed, Random random) {
        byte[] b = seed.clone();
        int n = 1 + random.nextInt(8);
        for (int i = 0; i < n; i++) {
            int at = b.length == 0 ? 0 : random.nextInt(b.length);
            switch (random.nextInt(7)) {
                case 0 -> {
                    if (b.length > 0) {
                        b[at] ^= (byte) (1 << random.nextInt(8));
                    }
                }
                case 1 -> {
                    if (b.length > 0) {
                        b[at] = (byte) random.nextInt(256);
                    }
                }
                case 2 -> {
                    byte[] ins = new byte[1 + random.nextInt(16)];
                    random.nextBytes(ins);
                    if (random.nextBoolean()) {
                        // characters that matter to the text formats
                        byte[] special =
                                ",\"\n\r#:-+.0123456789eE{}[]".getBytes(StandardCharsets.US_ASCII);
                        for (int k = 0; k < ins.length; k++) {
                            ins[k] = special[random.nextInt(special.length)];
                        }
                    }
                    b = splice(b, at, 0, ins);
                }
                case 3 ->
                        b =
                                splice(
                                        b,
                                        at,
                                        Math.min(b.length - at, 1 + random.nextInt(64)),
                                        new byte[0]);
                case 4 -> {
                    int len = Math.min(b.length - at, 1 + random.nextInt(64));
                    b = splice(b, at, 0, Arrays.copyOfRange(b, at, at + len));
                }
                case 5 -> b = Arrays.copyOf(b, at);
                default -> {
                    if (b.length >= 4) {
                        // an extreme 32-bit value (lengths, timestamps, counts)
                        int v =
                                new int[] {0, -1, Integer.MAX_VALUE, Integer.MIN_VALUE, 65535}
                                        [random.nextInt(5)];
                        int p = Math.min(at, b.length - 4);
                        b[p] = (byte) (v >>> 24);
                        b[p + 1] = (byte) (v >>> 16);
                        b[p + 2] = (byte) (v >>> 8);
                        b[p + 3] = (byte) v;
                    }
                }
            }
        }
        return b;
    }

    private static byte[] splice(byte[] b, int at, int remove, byte[] insert) {
        byte[] out = new byte[b.length - remove + insert.length];
        System.arraycopy(b, 0, out, 0, at);
        System.arraycopy(insert, 0, out, at, insert.length);
        System.arraycopy(b, at + remove, out, at + insert.length, b.length - at - remove);
        return out;
    }

    static byte[] gzip(byte[] plain) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(plain);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /**
     * Fuzzes every target in turn for {@code args[0]} minutes (default 1) from seed {@code args[1]}
     * (default: the clock); on the first broken invariant, writes the input as hex next to the
     * working directory and exits 1.
     */
    public static void main(String[] args) throws IOException {
        double minutes = args.length > 0 ? Double.parseDouble(args[0]) : 1;
        long seed = args.length > 1 ? Long.parseLong(args[1]) : System.nanoTime();
        long end = System.nanoTime() + (long) (minutes * 60e9);
        ArchiveFuzz fuzz = new ArchiveFuzz();
        Random random = new Random(seed);
        long[] counts = new long[Target.values().length];
        while (System.nanoTime() < end) {
            for (Target t : Target.values()) {
                long inputSeed = random.nextLong();
                Random r = new Random(inputSeed);
                byte[] input = fuzz.input(t, r);
                try {
                    fuzz.check(t, input, r);
                } catch (Throwable e) {
                    Path out = Path.of("target", "fuzz-failure-" + t.name().toLowerCase() + ".hex");
                    Files.writeString(out, HexFormat.of().formatHex(input) + "\n");
                    System.err.printf(
                            "fuzz %s: broken invariant (input seed %d, input in %s): %s%n",
                            t, inputSeed, out.toAbsolutePath(), e);
                    e.printStackTrace();
                    System.exit(1);
                }
                counts[t.ordinal()]++;
            }
        }
        long total = 0;
        for (Target t : Target.values()) {
            System.out.printf("fuzz %-10s %,12d inputs%n", t, counts[t.ordinal()]);
            total += counts[t.ordinal()];
        }
        System.out.printf(
                "fuzz: %,d inputs in %.1f min (seed %d), no broken invariant%n",
                total, minutes, seed);
    }
}
