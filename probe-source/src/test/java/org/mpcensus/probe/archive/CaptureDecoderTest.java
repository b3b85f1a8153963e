package org.mpcensus.probe.archive;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mpcensus.probe.event.CensusInput;
import org.mpcensus.probe.event.ProbeReply;
import org.mpcensus.probe.event.ReplyType;
import org.mpcensus.probe.packet.Bytes;
import org.mpcensus.probe.testing.SharedData;

class CaptureDecoderTest {

    static List<CensusInput> decode(byte[] file, ArchiveSettings settings) throws IOException {
        List<CensusInput> out = new ArrayList<>();
        try (ArchiveDecoder d =
                ArchiveFormat.PCAP.decoder(new ByteArrayInputStream(file), "test.pcap", settings)) {
            CensusInput r;
            while ((r = d.next()) != null) {
                out.add(r);
            }
        }
        return out;
    }

    static List<CensusInput> decode(String shared) throws IOException {
        return decode(Files.readAllBytes(SharedData.file(shared)), ArchiveSettings.defaults());
    }

    @Test
    void v0SynAckTakesTheProbeKeyFromTheCapturedSyn() throws IOException {
        List<CensusInput> records = decode("tcpdump/mptcp-fclose.pcap");
        // One SYN-ACK; the final RST acknowledges data, not the SYN, so it answers no probe.
        assertThat(records).hasSize(1);
        ProbeReply r = records.get(0).reply();
        assertThat(r.probe().target()).isEqualTo("10.2.1.2");
        assertThat(r.probe().port()).isEqualTo(2002);
        assertThat(r.probe().mptcpVersion()).isZero();
        assertThat(Bytes.hex64(r.probe().sentKey())).isEqualTo("9b59be3d695e66a7");
        assertThat(r.reply().type()).isEqualTo(ReplyType.SYN_ACK);
        assertThat(r.reply().mpCapable().senderKeyHex()).isEqualTo("d005b1ab34bad344");
        assertThat(r.reply().ttl()).isPositive();
    }

    @Test
    void v1SynAckOverLinuxCookedV2() throws IOException {
        List<CensusInput> records = decode("ptcpdump/tfo.pcap");
        assertThat(records).hasSize(1);
        ProbeReply r = records.get(0).reply();
        assertThat(r.probe().mptcpVersion()).isEqualTo(1);
        assertThat(r.probe().sentKey()).isNull();
        assertThat(r.reply().mpCapable().senderKeyHex()).isEqualTo("5ad4e6265b0cf688");
    }

    @Test
    void malformedSynThatAnswersNothingIsADeadLetterWithTheFrameNumber() throws IOException {
        List<CensusInput> records = decode("tcpdump/mptcp-dss-oobr.pcap");
        assertThat(records).hasSize(1);
        assertThat(records.get(0).deadLetter().location()).isEqualTo("frame 1");
        assertThat(records.get(0).deadLetter().reason()).contains("mptcp dss option with length 3");
        assertThat(records.get(0).deadLetter().raw()).hasSize(74);
    }

    @Test
    void cutFileKeepsTheRepliesBeforeTheCutAndEndsWithADeadLetter() throws IOException {
        byte[] whole = Files.readAllBytes(SharedData.file("ptcpdump/mptcp.pcap"));
        List<CensusInput> records =
                decode(Arrays.copyOf(whole, whole.length - 10), ArchiveSettings.defaults());
        assertThat(records.get(0).reply()).isNotNull();
        CensusInput last = records.get(records.size() - 1);
        assertThat(last.deadLetter().reason()).contains("file ends inside");
        assertThat(last.deadLetter().location()).startsWith("offset ");
    }

    @Test
    void textFileIsOneDeadLetter() throws IOException {
        List<CensusInput> records = decode("hello".getBytes(), ArchiveSettings.defaults());
        assertThat(records).hasSize(1);
        assertThat(records.get(0).deadLetter().reason()).contains("not a pcap or pcapng file");
    }
}
