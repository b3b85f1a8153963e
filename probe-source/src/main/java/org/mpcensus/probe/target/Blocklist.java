package org.mpcensus.probe.target;

import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A set of blocked prefixes, IPv4 and IPv6. {@link #ianaSpecialPurpose()} holds the IANA
 * special-purpose registries (RFC 6890 and successors: private, loopback, link-local,
 * documentation, benchmarking, multicast, reserved), which a scan never probes unless the user
 * replaces them with an explicit blocklist file. Immutable and thread-safe.
 */
public final class Blocklist implements Serializable {

    /** IPv4 special-purpose and reserved ranges. */
    public static final List<String> IANA_V4 =
            List.of(
                    "0.0.0.0/8",
                    "10.0.0.0/8",
                    "100.64.0.0/10",
                    "127.0.0.0/8",
                    "169.254.0.0/16",
                    "172.16.0.0/12",
                    "192.0.0.0/24",
                    "192.0.2.0/24",
                    "192.31.196.0/24",
                    "192.52.193.0/24",
                    "192.88.99.0/24",
                    "192.168.0.0/16",
                    "192.175.48.0/24",
                    "198.18.0.0/15",
                    "198.51.100.0/24",
                    "203.0.113.0/24",
                    "224.0.0.0/4",
                    "240.0.0.0/4",
                    "255.255.255.255/32");

    /** IPv6 special-purpose ranges, and everything outside global unicast 2000::/3. */
    public static final List<String> IANA_V6 =
            List.of(
                    "::/3",
                    "4000::/2",
                    "8000::/1",
                    "::ffff:0:0/96",
                    "64:ff9b::/96",
                    "64:ff9b:1::/48",
                    "100::/64",
                    "2001::/23",
                    "2001:db8::/32",
                    "2002::/16",
                    "2620:4f:8000::/48",
                    "3fff::/20",
                    "5f00::/16",
                    "fc00::/7",
                    "fe80::/10",
                    "ff00::/8");

    private final PrefixMap prefixes;

    private Blocklist(PrefixMap prefixes) {
        this.prefixes = prefixes;
    }

    /** The IANA special-purpose ranges. */
    public static Blocklist ianaSpecialPurpose() {
        PrefixMap.Builder b = PrefixMap.builder();
        IANA_V4.forEach(c -> b.addCidr(c, 1));
        IANA_V6.forEach(c -> b.addCidr(c, 1));
        return new Blocklist(b.build());
    }

    /**
     * The scan blocklist: {@code base} files replace the IANA ranges when given (an empty list
     * keeps them), and {@code extra} files add to it.
     */
    public static Blocklist of(List<Path> base, List<Path> extra) throws IOException {
        PrefixMap.Builder b = PrefixMap.builder();
        if (base.isEmpty()) {
            IANA_V4.forEach(c -> b.addCidr(c, 1));
            IANA_V6.forEach(c -> b.addCidr(c, 1));
        }
        for (Path f : base) {
            addFile(b, f);
        }
        for (Path f : extra) {
            addFile(b, f);
        }
        return new Blocklist(b.build());
    }

    /** Reads one CIDR (or address) per line; {@code #} starts a comment. */
    static void addFile(PrefixMap.Builder b, Path file) throws IOException {
        int n = 0;
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            n++;
            int hash = line.indexOf('#');
            String t = (hash >= 0 ? line.substring(0, hash) : line).trim();
            if (t.isEmpty()) {
                continue;
            }
            try {
                b.addCidr(t, 1);
            } catch (IllegalArgumentException e) {
                throw new IOException(file + " line " + n + ": " + e.getMessage(), e);
            }
        }
    }

    /** True when the address (4 or 16 bytes) is blocked. */
    public boolean blocks(byte[] address) {
        return prefixes.covers(address);
    }

    public int size() {
        return prefixes.size();
    }
}
