package org.mpcensus.probe.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.mpcensus.probe.event.Probe;
import org.mpcensus.probe.event.ProbeReply;
import org.mpcensus.probe.event.Reply;
import org.mpcensus.probe.event.ReplyType;
import org.mpcensus.probe.packet.SynProbe;
import org.mpcensus.probe.packet.TcpOptionList;

class ReplyArchiveJsonTest {

    @Test
    void roundTripKeepsEveryObservedFieldAndRedecodesOptions() {
        byte[] options = HexFormat.of().parseHex("020405b41e0c0181e356a8f252e41976");
        ProbeReply r =
                new ProbeReply(
                        1_700_000_000_123_456L,
                        "vp1",
                        "scan-7",
                        new Probe("2001:db8::9", 443, 1, SynProbe.options(1, 0x81, 0)),
                        new Reply(
                                ReplyType.SYN_ACK,
                                63,
                                0,
                                64800,
                                options,
                                TcpOptionList.decode(options).mpCapable(),
                                null));
        String line = ReplyArchiveJson.write(r);
        assertThat(line).contains("\"ts\":\"2023-11-14T22:13:20.123456Z\"");
        ProbeReply back = ReplyArchiveJson.parse(line);
        assertThat(back.captureTimeMicros()).isEqualTo(r.captureTimeMicros());
        assertThat(back.probe().options()).isEqualTo(r.probe().options());
        assertThat(back.reply().options()).isEqualTo(options);
        assertThat(back.reply().mpCapable()).isEqualTo(r.reply().mpCapable());
        assertThat(back.vantage()).isEqualTo("vp1");
    }

    @Test
    void badLinesNameTheField() {
        assertThatThrownBy(() -> ReplyArchiveJson.parse("{\"v\":1}"))
                .hasMessageContaining("field target is missing");
        assertThatThrownBy(() -> ReplyArchiveJson.parse("{\"v\":9}"))
                .hasMessageContaining("schema version 9");
        assertThatThrownBy(() -> ReplyArchiveJson.parse("{oops")).hasMessageContaining("not JSON");
    }
}
