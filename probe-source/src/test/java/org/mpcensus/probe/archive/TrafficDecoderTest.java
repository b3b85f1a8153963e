package org.mpcensus.probe.archive;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mpcensus.probe.event.CensusInput;

/** The traffic decoder takes the capture times the census takes, as the reply decoder does. */
class TrafficDecoderTest {
    /** An IPv4 SYN from 198.18.1.1:4660 to 198.18.1.2:80, without a link header (link type 101). */
    static final byte[] SYN =
            HexFormat.of()
                    .parseHex(
                            "450000280001000040060000c6120101c6120102"
                                    + "12340050000000010000000050020fff00000000");

    /** A pcap of raw IPv4 frames with these capture times (seconds, unsigned 32 bits). */
    static byte[] pcap(long... seconds) {
        ByteBuffer b =
                ByteBuffer.allocate(24 + seconds.length * (16 + SYN.length))
                        .order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0xa1b2c3d4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0);
        b.putInt(65535).putInt(101);
        for (long s : seconds) {
            b.putInt((int) s).putInt(0).putInt(SYN.length).putInt(SYN.length).put(SYN);
        }
        return b.array();
    }

    @Test
    void aFrameOutside1970To2099IsADeadLetterAndTheOthersArePackets() throws Exception {
        ArchiveDecoder d =
                TrafficDecoder.open(
                        new ByteArrayInputStream(pcap(0xffffffffL, 1_765_000_000L)), "t.pcap");
        List<CensusInput> out = new ArrayList<>();
        CensusInput r;
        while ((r = d.next()) != null) {
            out.add(r);
        }
        assertThat(out).hasSize(2);
        assertThat(out.get(0).deadLetter()).isNotNull();
        assertThat(out.get(0).deadLetter().reason()).contains("is outside 1970..2099");
        assertThat(out.get(0).deadLetter().location()).isEqualTo("frame 1");
        assertThat(out.get(1).packet()).isNotNull();
    }
}
