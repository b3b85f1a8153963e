package org.mpcensus.udf.enrich;

import com.maxmind.db.CHMCache;
import com.maxmind.geoip2.DatabaseReader;
import com.maxmind.geoip2.exception.GeoIp2Exception;
import com.maxmind.geoip2.model.AsnResponse;
import com.maxmind.geoip2.model.CountryResponse;
import com.maxmind.geoip2.model.IspResponse;
import java.io.Closeable;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.Optional;
import org.mpcensus.probe.packet.IpAddress;

/**
 * Lookups in a MaxMind {@code .mmdb} database through MaxMind's {@code geoip2} library: the country
 * (GeoLite2/GeoIP2 Country) and the AS number and organisation (GeoLite2 ASN, GeoIP2 ISP).
 * Addresses are literals, never resolved by DNS. Thread-safe (the reader is); close it when done.
 */
public final class MaxMindLookup implements Closeable {
    private final DatabaseReader reader;
    private final String type;

    private MaxMindLookup(DatabaseReader reader) {
        this.reader = reader;
        this.type = reader.getMetadata().databaseType();
    }

    /** Opens a database file (memory-mapped, with a lookup cache). */
    public static MaxMindLookup open(Path mmdb) throws IOException {
        return new MaxMindLookup(
                new DatabaseReader.Builder(mmdb.toFile()).withCache(new CHMCache()).build());
    }

    /**
     * Opens a database that knows countries (Country, City, Enterprise), refusing others (an ASN
     * database would answer every country lookup with nothing).
     */
    public static MaxMindLookup openCountry(Path mmdb) throws IOException {
        MaxMindLookup l = open(mmdb);
        String t = l.databaseType();
        if (!(t.contains("Country") || t.contains("City") || t.contains("Enterprise"))) {
            l.close();
            throw new IOException(mmdb + " is a " + t + " database, not a country database");
        }
        return l;
    }

    /** The database type from its metadata, e.g. {@code GeoIP2-Country}. */
    public String databaseType() {
        return type;
    }

    /** The ISO 3166-1 country code of the address, or null when the database has none for it. */
    public String country(String address) throws IOException {
        Optional<CountryResponse> r = query(() -> reader.tryCountry(inet(address)));
        return r.map(c -> c.country() == null ? null : c.country().isoCode()).orElse(null);
    }

    /** The AS number of the address (ASN or ISP database), or null. */
    public Long asn(String address) throws IOException {
        if (type.contains("ISP")) {
            return query(() -> reader.tryIsp(inet(address)))
                    .map(IspResponse::autonomousSystemNumber)
                    .orElse(null);
        }
        return query(() -> reader.tryAsn(inet(address)))
                .map(AsnResponse::autonomousSystemNumber)
                .orElse(null);
    }

    /** The AS organisation of the address (ASN or ISP database), or null. */
    public String asOrganization(String address) throws IOException {
        if (type.contains("ISP")) {
            return query(() -> reader.tryIsp(inet(address)))
                    .map(IspResponse::autonomousSystemOrganization)
                    .orElse(null);
        }
        return query(() -> reader.tryAsn(inet(address)))
                .map(AsnResponse::autonomousSystemOrganization)
                .orElse(null);
    }

    private static InetAddress inet(String address) throws IOException {
        return InetAddress.getByAddress(IpAddress.parse(address));
    }

    private interface Query<T> {
        Optional<T> run() throws IOException, GeoIp2Exception;
    }

    private static <T> Optional<T> query(Query<T> q) throws IOException {
        try {
            return q.run();
        } catch (GeoIp2Exception e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    @Override
    public void close() throws IOException {
        reader.close();
    }
}
