package org.mpcensus.udf.enrich;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import org.mpcensus.probe.target.PrefixMap;

/**
 * Longest-prefix match from IP address to origin AS, for IPv4 and IPv6, loaded from a pyasn {@code
 * .dat} file ({@code prefix/len<TAB>asn}, {@code ;} comments) or a CAIDA RouteViews {@code pfx2as}
 * file ({@code prefix<TAB>len<TAB>asn}, where multi-origin {@code a_b} and AS-set {@code a,b} take
 * the first AS). Gzip files are read as such. Lookups are longest-prefix matches in a {@link
 * PrefixMap}. Immutable and thread-safe once built.
 */
public final class Pfx2AsTable implements Serializable {

    /** The AS number of an address no prefix covers. */
    public static final long UNKNOWN = 0;

    private final PrefixMap prefixes;

    private Pfx2AsTable(PrefixMap prefixes) {
        this.prefixes = prefixes;
    }

    /** An empty table: every address is {@link #UNKNOWN}. */
    public static Pfx2AsTable empty() {
        return new Pfx2AsTable(PrefixMap.builder().build());
    }

    /** Loads a pyasn or pfx2as file; a line that is neither stops the load with its line number. */
    public static Pfx2AsTable load(Path file) throws IOException {
        try (InputStream raw = Files.newInputStream(file)) {
            InputStream in =
                    file.getFileName().toString().endsWith(".gz")
                            ? new GZIPInputStream(raw, 1 << 16)
                            : raw;
            return load(in, file.toString());
        }
    }

    /** Loads from a stream; {@code name} is used in error messages. */
    public static Pfx2AsTable load(InputStream in, String name) throws IOException {
        PrefixMap.Builder b = PrefixMap.builder();
        BufferedReader r =
                new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII), 1 << 16);
        String line;
        long n = 0;
        while ((line = r.readLine()) != null) {
            n++;
            String t = line.trim();
            if (t.isEmpty() || t.startsWith(";") || t.startsWith("#")) {
                continue;
            }
            try {
                addLine(b, t);
            } catch (IllegalArgumentException e) {
                throw new IOException(name + " line " + n + ": " + e.getMessage(), e);
            }
        }
        return new Pfx2AsTable(b.build());
    }

    /** The number of prefixes in the table. */
    public int size() {
        return prefixes.size();
    }

    /** The origin AS of the longest prefix covering the address, or {@link #UNKNOWN}. */
    public long lookup(String address) {
        long asn = prefixes.lookup(address);
        return asn == PrefixMap.NONE ? UNKNOWN : asn;
    }

    /** The origin AS for a 4- or 16-byte address. */
    public long lookup(byte[] address) {
        long asn = prefixes.lookup(address);
        return asn == PrefixMap.NONE ? UNKNOWN : asn;
    }

    /** Adds a pyasn ({@code p/len asn}) or pfx2as ({@code p len asn}) line. */
    static void addLine(PrefixMap.Builder b, String line) {
        String[] f = line.split("\\s+");
        if (f.length == 2 && f[0].indexOf('/') > 0) {
            b.addCidr(f[0], parseAsn(f[1]));
        } else if (f.length == 3) {
            b.addCidr(f[0] + "/" + f[1], parseAsn(f[2]));
        } else {
            throw new IllegalArgumentException(
                    "expected 'prefix/len<TAB>asn' (pyasn) or 'prefix<TAB>len<TAB>asn' (pfx2as): '"
                            + line
                            + "'");
        }
    }

    /** The first AS of a multi-origin ({@code a_b}) or AS-set ({@code a,b}) field. */
    static long parseAsn(String s) {
        String first = s.split("[_,]", 2)[0];
        if (first.startsWith("{")) {
            first = first.substring(1);
        }
        if (first.endsWith("}")) {
            first = first.substring(0, first.length() - 1);
        }
        try {
            long asn = Long.parseLong(first);
            if (asn < 0 || asn > 0xffffffffL) {
                throw new NumberFormatException();
            }
            return asn;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not an AS number: '" + s + "'");
        }
    }
}
