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
                "+1::",
                "-1::",
                "1::\u0663",
                "example.org"
            })
    void rejectsNonLiterals(String in) {
        assertThatThrownBy(() -> IpAddress.parse(in)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "::",
                "::1",
                "1::",
                "2001:db8::",
                "2001:db8::1",
                "2001:DB8:0:0:8:800:200C:417A",
                "1:2:3:4:5:6:7::",
                "::2:3:4:5:6:7:8",
                "1:2:3:4::5:6:7",
                "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"
            })
    void v6BitsReadsHexGroupsAsParseDoes(String in) {
        long[] bits = new long[2];
        assertThat(IpAddress.v6Bits(in, bits)).isTrue();
        byte[] parsed = IpAddress.parse(in);
        assertThat(bits).containsExactly(Bytes.getLong(parsed, 0), Bytes.getLong(parsed, 8));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "::ffff:1.2.3.4",
                "fe80::1%eth0",
                "1.2.3.4",
                ":",
                ":1",
                "1:",
                ":::",
                "1::2::3",
                "1:2:3:4:5:6:7:8:9",
                "1:2:3:4:5:6:7:8::",
                "12345::",
                "+1::",
                "g::"
            })
    void v6BitsLeavesEveryOtherFormToParse(String in) {
        assertThat(IpAddress.v6Bits(in, new long[2])).isFalse();
    }

    /** Random texts made of the characters of addresses: v6Bits and parse never disagree. */
    @net.jqwik.api.Property(tries = 20_000)
    void v6BitsAgreesWithParseOnAnyText(@net.jqwik.api.ForAll("addressLike") String in) {
        long[] bits = new long[2];
        boolean fast = IpAddress.v6Bits(in, bits);
        byte[] parsed;
        try {
            parsed = IpAddress.parse(in);
        } catch (IllegalArgumentException e) {
            assertThat(fast).as(in).isFalse();
            return;
        }
        if (fast) {
            assertThat(bits)
                    .as(in)
                    .containsExactly(Bytes.getLong(parsed, 0), Bytes.getLong(parsed, 8));
        } else {
            assertThat(in.indexOf('.') >= 0 || in.indexOf('%') >= 0 || parsed.length == 4)
                    .as(in + " is a form v6Bits leaves to parse")
                    .isTrue();
        }
    }

    @net.jqwik.api.Provide
    net.jqwik.api.Arbitrary<String> addressLike() {
        net.jqwik.api.Arbitrary<String> group =
                net.jqwik.api.Arbitraries.strings()
                        .withChars("0123456789abcdefABCDEF")
                        .ofMinLength(0)
                        .ofMaxLength(5);
        net.jqwik.api.Arbitrary<String> glued =
                group.list().ofMinSize(0).ofMaxSize(10).map(g -> String.join(":", g));
        net.jqwik.api.Arbitrary<String> canonical =
                net.jqwik.api.Arbitraries.longs()
                        .tuple2()
                        .map(
                                t -> {
                                    byte[] b = new byte[16];
                                    Bytes.putLong(b, 0, t.get1());
                                    Bytes.putLong(b, 8, t.get2() & (t.get1() < 0 ? -1L : 0xffffL));
                                    return IpAddress.format(b);
                                });
        net.jqwik.api.Arbitrary<String> noise =
                net.jqwik.api.Arbitraries.strings()
                        .withChars("0123456789abcdef:.%+-g")
                        .ofMaxLength(41);
        return net.jqwik.api.Arbitraries.oneOf(glued, canonical, noise);
    }
}
