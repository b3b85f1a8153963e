package org.mpcensus.udf.enrich;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigInteger;
import java.nio.file.Files;
import java.util.Iterator;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mpcensus.probe.packet.IpAddress;
import org.mpcensus.probe.testing.SharedData;

/**
 * Every network in MaxMind's own test data ({@code shared/data/maxmind/*.json}, the source the test
 * databases were built from) resolves through our lookup, at its first and last address, exactly as
 * the JSON says.
 */
class MaxMindLookupTest {

    @ParameterizedTest
    @ValueSource(
            strings = {
                "GeoIP2-Country-Test",
                "GeoLite2-Country-Test",
                "GeoLite2-ASN-Test",
                "GeoIP2-ISP-Test"
            })
    void everyNetworkResolvesAsTheSourceDataSays(String name) throws Exception {
        JsonNode networks =
                new ObjectMapper()
                        .readTree(Files.readString(SharedData.file("maxmind/" + name + ".json")));
        int checked = 0;
        try (MaxMindLookup lookup =
                MaxMindLookup.open(SharedData.file("maxmind/" + name + ".mmdb"))) {
            for (JsonNode entry : networks) {
                Iterator<Map.Entry<String, JsonNode>> it = entry.fields();
                Map.Entry<String, JsonNode> e = it.next();
                JsonNode record = e.getValue();
                for (String address : firstAndLast(e.getKey())) {
                    if (name.contains("Country")) {
                        String want =
                                record.has("country")
                                        ? record.get("country").get("iso_code").asText()
                                        : null;
                        assertThat(lookup.country(address))
                                .as(e.getKey() + " at " + address)
                                .isEqualTo(want);
                    } else {
                        Long want =
                                record.has("autonomous_system_number")
                                        ? record.get("autonomous_system_number").asLong()
                                        : null;
                        String org =
                                record.has("autonomous_system_organization")
                                        ? record.get("autonomous_system_organization").asText()
                                        : null;
                        assertThat(lookup.asn(address))
                                .as(e.getKey() + " at " + address)
                                .isEqualTo(want);
                        assertThat(lookup.asOrganization(address))
                                .as(e.getKey() + " at " + address)
                                .isEqualTo(org);
                    }
                    checked++;
                }
            }
        }
        assertThat(checked).isEqualTo(2 * networks.size());
    }

    /** The first and last address of a CIDR, as literals. */
    static String[] firstAndLast(String cidr) {
        int slash = cidr.indexOf('/');
        byte[] a = IpAddress.parse(cidr.substring(0, slash));
        int len = Integer.parseInt(cidr.substring(slash + 1));
        int bits = a.length * 8;
        BigInteger first = new BigInteger(1, a).shiftRight(bits - len).shiftLeft(bits - len);
        BigInteger last = first.add(BigInteger.ONE.shiftLeft(bits - len)).subtract(BigInteger.ONE);
        return new String[] {
            IpAddress.format(bytes(first, a.length)), IpAddress.format(bytes(last, a.length))
        };
    }

    private static byte[] bytes(BigInteger v, int n) {
        byte[] raw = v.toByteArray();
        byte[] out = new byte[n];
        int copy = Math.min(raw.length, n);
        System.arraycopy(raw, raw.length - copy, out, n - copy, copy);
        return out;
    }
}
