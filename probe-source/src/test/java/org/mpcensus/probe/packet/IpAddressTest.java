package org.mpcensus.probe.packet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class IpAddressTest {
    @ParameterizedTest
    @CsvSource({
        "2001:0db8:0000:0000:0000:0000:0000:0001, 2001:db8::1",
        "2001:db8:0:0:1:0:0:1, 2001:db8::1:0:0:1",
        "2001:db8:0:1:1:1:1:1, 2001:db8:0:1:1:1:1:1",
        "::, ::",
        "::1, ::1",
        "fe80::, fe80::",
        "::ffff:198.18.0.1, ::ffff:c612:1",
        "198.018.0.1, 198.18.0.1",
    })
    void formatsCanonically(String in, String canonical) {
        assertThat(IpAddress.format(IpAddress.parse(in))).isEqualTo(canonical);
        assertThat(IpAddress.canonical(in)).isEqualTo(canonical);
    }

    @ParameterizedTest
    @CsvSource({
        "0.0.0.0, 0",
        "198.18.0.1, 3323068417",
        "255.255.255.255, 4294967295",
        "198.018.0.1, -1",
        "1.2.3, -1",
        "1.2.3.256, -1",
        "1.2.3.4.5, -1",
        "::1, -1",
        "1.2.3.x, -1",
    })
    void v4BitsTakesOnlyCanonicalDottedQuads(String in, long bits) {
        assertThat(IpAddress.v4Bits(in)).isEqualTo(bits);
        if (bits >= 0) {
            assertThat(Bytes.getUnsignedInt(IpAddress.parse(in), 0)).isEqualTo(bits);
        }
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "1.2.3",
                "1.2.3.256",
                "1..2.3",
                "2001:db8::1::2",
                "g::1",
                "1:2:3:4:5:6:7:8:9",
                "example.org"
            })
    void rejectsNonLiterals(String in) {
        assertThatThrownBy(() -> IpAddress.parse(in)).isInstanceOf(IllegalArgumentException.class);
    }
}
