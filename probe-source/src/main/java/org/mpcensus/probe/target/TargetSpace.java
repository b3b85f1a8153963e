package org.mpcensus.probe.target;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.Serializable;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import org.mpcensus.probe.packet.Bytes;
import org.mpcensus.probe.packet.IpAddress;

/**
 * What a scan probes: IPv4 allowlist prefixes (merged, so an address counts once) and an address
 * hitlist (IPv6 or IPv4, shuffled with the seed), times ports, times MPTCP versions. Index {@code
 * i} in 0..size-1 names one probe; {@link CyclicPermutation} orders the indices. Immutable.
 */
public final class TargetSpace implements Serializable {
    private final long[] rangeStarts; // merged IPv4 ranges, inclusive
    private final long[] rangeEnds;
    private final long[] rangeOffsets; // addresses before each range
    private final long v4Addresses;
    private final List<byte[]> hitlist;
    private final int[] ports;
    private final int[] versions;

    private TargetSpace(List<long[]> ranges, List<byte[]> hitlist, int[] ports, int[] versions) {
        int n = ranges.size();
        rangeStarts = new long[n];
        rangeEnds = new long[n];
        rangeOffsets = new long[n];
        long total = 0;
        for (int i = 0; i < n; i++) {
            rangeStarts[i] = ranges.get(i)[0];
            rangeEnds[i] = ranges.get(i)[1];
            rangeOffsets[i] = total;
            total += rangeEnds[i] - rangeStarts[i] + 1;
        }
        this.v4Addresses = total;
        this.hitlist = hitlist;
        this.ports = ports;
        this.versions = versions;
    }

    /**
     * Builds a space.
     *
     * @param cidrs IPv4 allowlist prefixes ({@code a.b.c.d/len}); IPv6 prefixes are refused (use a
     *     hitlist)
     * @param hitlist individual addresses
     * @param shuffleSeed the hitlist is shuffled with this seed, or kept in order when null
     */
    public static TargetSpace of(
            List<String> cidrs,
            List<String> hitlist,
            List<Integer> ports,
            List<Integer> versions,
            Long shuffleSeed) {
        if (ports.isEmpty() || versions.isEmpty()) {
            throw new IllegalArgumentException(
                    "a scan needs at least one port and one MPTCP version");
        }
        for (int v : versions) {
            if (v != 0 && v != 1) {
                throw new IllegalArgumentException("MPTCP versions are 0 and 1, not " + v);
            }
        }
        for (int p : ports) {
            if (p < 1 || p > 65535) {
                throw new IllegalArgumentException("port " + p + " (1..65535)");
            }
        }
        List<long[]> ranges = new ArrayList<>();
        for (String c : cidrs) {
            int slash = c.indexOf('/');
            String addr = slash < 0 ? c.trim() : c.substring(0, slash).trim();
            if (IpAddress.isV6(addr)) {
                throw new IllegalArgumentException(
                        "IPv6 prefix " + c + ": IPv6 is scanned from a hitlist of addresses");
            }
            int len = slash < 0 ? 32 : Integer.parseInt(c.substring(slash + 1).trim());
            if (len < 0 || len > 32) {
                throw new IllegalArgumentException("prefix length of " + c);
            }
            long start = Bytes.getUnsignedInt(IpAddress.parse(addr), 0);
            long size = 1L << (32 - len);
            start &= ~(size - 1);
            ranges.add(new long[] {start, start + size - 1});
        }
        ranges.sort(Comparator.comparingLong(r -> r[0]));
        List<long[]> merged = new ArrayList<>();
        for (long[] r : ranges) {
            long[] last = merged.isEmpty() ? null : merged.get(merged.size() - 1);
            if (last != null && r[0] <= last[1] + 1) {
                last[1] = Math.max(last[1], r[1]);
            } else {
                merged.add(r.clone());
            }
        }
        List<byte[]> hits = new ArrayList<>();
        for (String h : hitlist) {
            hits.add(IpAddress.parse(h.trim()));
        }
        if (shuffleSeed != null) {
            SplittableRandom r = new SplittableRandom(shuffleSeed);
            for (int i = hits.size() - 1; i > 0; i--) {
                int j = r.nextInt(i + 1);
                byte[] t = hits.get(i);
                hits.set(i, hits.get(j));
                hits.set(j, t);
            }
        }
        return new TargetSpace(
                merged,
                List.copyOf(hits),
                ports.stream().mapToInt(Integer::intValue).toArray(),
                versions.stream().mapToInt(Integer::intValue).toArray());
    }

    /** The longest line of a hitlist: an address with a comment. */
    static final int MAX_HITLIST_LINE = 1000;

    /**
     * Reads a hitlist: one address per line, {@code #} comments.
     *
     * @throws IOException naming the file, and the line that is not an address, in one line of at
     *     most a few hundred characters: a file that is missing or not a regular file (a FIFO, a
     *     directory), text that is not UTF-8, a line that is too long or not an address
     */
    public static List<String> readHitlist(Path file) throws IOException {
        if (!Files.exists(file)) {
            throw new IOException("no hitlist " + file + ": no such file");
        }
        if (!Files.isRegularFile(file)) {
            throw new IOException(
                    "hitlist "
                            + file
                            + " is not a regular file (a directory, FIFO or device): give a file"
                            + " of addresses, one per line");
        }
        List<String> out = new ArrayList<>();
        CharsetDecoder utf8 =
                StandardCharsets.UTF_8
                        .newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT);
        try (Reader in =
                new BufferedReader(new InputStreamReader(Files.newInputStream(file), utf8))) {
            StringBuilder line = new StringBuilder();
            int number = 1;
            int c;
            boolean ended = false;
            while (!ended) {
                try {
                    c = in.read();
                } catch (CharacterCodingException e) {
                    throw new IOException(
                            "hitlist " + file + ", line " + number + ": not UTF-8 text");
                }
                ended = c < 0;
                if (c == '\n' || ended) {
                    String text = line.toString();
                    int hash = text.indexOf('#');
                    String t = (hash >= 0 ? text.substring(0, hash) : text).trim();
                    if (!t.isEmpty()) {
                        try {
                            IpAddress.parse(t);
                        } catch (IllegalArgumentException e) {
                            throw new IOException(
                                    "hitlist "
                                            + file
                                            + ", line "
                                            + number
                                            + ": '"
                                            + (t.length() > 60 ? t.substring(0, 60) + "..." : t)
                                            + "' is not an IPv4 or IPv6 address");
                        }
                        out.add(t);
                    }
                    line.setLength(0);
                    number++;
                } else if (line.length() >= MAX_HITLIST_LINE) {
                    throw new IOException(
                            "hitlist "
                                    + file
                                    + ", line "
                                    + number
                                    + ": longer than "
                                    + MAX_HITLIST_LINE
                                    + " characters, not an address");
                } else if (c != '\r') {
                    line.append((char) c);
                }
            }
        }
        return out;
    }

    /** Addresses in the space. */
    public long addresses() {
        return v4Addresses + hitlist.size();
    }

    /** Probes per address: ports times versions. */
    public int probesPerAddress() {
        return ports.length * versions.length;
    }

    /** Probes in the space. */
    public long size() {
        return addresses() * probesPerAddress();
    }

    /** The probe with an index: fills {@code address} (returned, 4 or 16 bytes) and returns it. */
    public Probe probe(long index) {
        long address = index / probesPerAddress();
        int combo = (int) (index % probesPerAddress());
        int port = ports[combo / versions.length];
        int version = versions[combo % versions.length];
        return new Probe(address(address), port, version);
    }

    /** The first address of the space of a family (4 or 16 bytes), or null when it has none. */
    public byte[] firstAddress(int length) {
        if (length == 4 && v4Addresses > 0) {
            return address(0);
        }
        for (int i = 0; i < hitlist.size(); i++) {
            if (hitlist.get(i).length == length) {
                return hitlist.get(i).clone();
            }
        }
        return null;
    }

    /** The address with an index in 0..addresses-1. */
    public byte[] address(long index) {
        if (index < v4Addresses) {
            int i = Arrays.binarySearch(rangeOffsets, index);
            if (i < 0) {
                i = -i - 2;
            }
            long a = rangeStarts[i] + (index - rangeOffsets[i]);
            byte[] out = new byte[4];
            Bytes.putInt(out, 0, a);
            return out;
        }
        return hitlist.get((int) (index - v4Addresses)).clone();
    }

    /**
     * One probe of the space.
     *
     * @param address 4 or 16 bytes
     * @param port the port
     * @param version the MPTCP version
     */
    public record Probe(byte[] address, int port, int version) {}
}
