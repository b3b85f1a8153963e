package org.mpcensus.probe.packet;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TcpOptionListTest {
    private static TcpOptionList decode(String hex) {
        return TcpOptionList.decode(HexFormat.of().parseHex(hex));
    }

    @Test
    void decodesV1SynAckKeyAndFlags() {
        TcpOptionList l =
                decode("020405b40402080a0000000100000000010303071e0c0181e356a8f252e41976");
        assertThat(l.errors()).isEmpty();
        assertThat(l.mpCapable().version()).isEqualTo(1);
        assertThat(l.mpCapable().length()).isEqualTo(12);
        assertThat(l.mpCapable().flags()).isEqualTo(0x81);
        assertThat(l.mpCapable().senderKeyHex()).isEqualTo("e356a8f252e41976");
        assertThat(l.options())
                .extracting(TcpOption::name)
                .containsExactly("mss", "sackOK", "TS", "nop", "wscale", "mptcp");
    }

    @ParameterizedTest
    @CsvSource({
        // v0 may not be keyless: length 4 is only valid for v1
        "1e040081, MALFORMED_MPTCP_OPTION",
        "1e0500810c, MALFORMED_MPTCP_OPTION",
        "1e0d0081000000000000000000, MALFORMED_MPTCP_OPTION",
        "1e0200, MALFORMED_MPTCP_OPTION",
        "1e0320, MALFORMED_MPTCP_OPTION",
        "0200, BAD_OPTION_LENGTH",
        "0201, BAD_OPTION_LENGTH",
        "020805b4, OPTION_PAST_END",
        "02, OPTION_PAST_END",
        "0203ff, BAD_OPTION_LENGTH",
    })
    void malformedOptionsGiveAStructuredErrorInsteadOfThrowing(String hex, DecodeError.Kind kind) {
        TcpOptionList l = decode(hex);
        assertThat(l.errors()).extracting(DecodeError::kind).contains(kind);
        assertThat(l.mpCapable()).isNull();
    }

    @ParameterizedTest
    @CsvSource({
        "1e040181, 4, 1",
        "1e0c00810c0c0c0c0c0c0c0c, 12, 0",
        "1e14018111111111111111112222222222222222, 20, 1",
        "1e16018111111111111111112222222222222222000501, 22, 1",
        "1e1801811111111111111111222222222222222200050abc, 24, 1",
    })
    void acceptsEveryRfcLength(String hex, int length, int version) {
        TcpOptionList l = decode(hex.length() % 2 == 0 ? hex : hex + "0");
        assertThat(l.errors()).isEmpty();
        assertThat(l.mpCapable().length()).isEqualTo(length);
        assertThat(l.mpCapable().version()).isEqualTo(version);
        if (length >= 22) {
            assertThat(l.mpCapable().dataLen()).isEqualTo(5);
        }
        if (length >= 20) {
            assertThat(l.mpCapable().receiverKeyHex()).isEqualTo("2222222222222222");
        }
    }

    @Test
    void stopsAtEndOfOptionList() {
        TcpOptionList l = decode("0000ffff");
        assertThat(l.options()).extracting(TcpOption::name).containsExactly("eol");
        assertThat(l.errors()).isEmpty();
    }

    @Test
    void snapLengthCutIsReportedAsTruncation() {
        byte[] raw = HexFormat.of().parseHex("020405b41e0c00810c0c0c0c0c0c0c0c");
        TcpOptionList l = TcpOptionList.decode(raw, 0, raw.length, 10);
        assertThat(l.options()).extracting(TcpOption::name).containsExactly("mss");
        assertThat(l.errors())
                .extracting(DecodeError::kind)
                .containsExactly(DecodeError.Kind.TRUNCATED_TCP_HEADER);
    }
}
