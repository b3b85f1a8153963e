package org.mpcensus.probe.archive;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;
import org.mpcensus.probe.event.CaptureTime;
import org.mpcensus.probe.event.CensusInput;
import org.mpcensus.probe.event.ProbeReply;
import org.mpcensus.probe.event.ReplyType;

class ZmapCsvDecoderTest {

    static List<CensusInput> decode(String csv, ArchiveSettings settings) throws IOException {
        List<CensusInput> out = new ArrayList<>();
        try (ZmapCsvDecoder d =
                new ZmapCsvDecoder(
                        new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8)),
                        "scan.csv",
                        settings)) {
            CensusInput r;
            while ((r = d.next()) != null) {
                out.add(r);
            }
        }
        return out;
    }

    static ArchiveSettings withScanTime() {
        Configuration c = new Configuration();
        c.set(ArchiveOptions.SCAN_TIME, "2016-03-01T00:00:00Z");
        return ArchiveSettings.fromConfiguration(c);
    }

    @Test
    void columnsComeFromTheHeaderInAnyOrderAndTheKeyFromOptionshex() throws IOException {
        // mptcpkey is deliberately wrong: the decoder must read the key from optionshex
        String csv =
                "# produced by hand\n"
                        + "optionshex,success,mptcpkey,saddr,sport,optionstext\n"
                        + "0x020405b41e0c0081aabbccddeeff0011,1,0x0c0c0c0c0c0c0c0c,198.51.100.7,443,MSS-MPTCP-\n";
        List<CensusInput> records = decode(csv, withScanTime());
        assertThat(records).hasSize(1);
        ProbeReply r = records.get(0).reply();
        assertThat(r.probe().target()).isEqualTo("198.51.100.7");
        assertThat(r.probe().port()).isEqualTo(443);
        assertThat(r.probe().mptcpVersion()).isZero();
        assertThat(r.probe().sentKey()).isEqualTo(0x0c0c0c0c0c0c0c0cL);
        assertThat(r.reply().mpCapable().senderKeyHex()).isEqualTo("aabbccddeeff0011");
        assertThat(r.reply().type()).isEqualTo(ReplyType.SYN_ACK);
        assertThat(CaptureTime.format(r.captureTimeMicros()))
                .isEqualTo("2016-03-01T00:00:00.000000Z");
        assertThat(r.scanId()).isEqualTo("scan.csv");
    }

    @Test
    void timestampColumnsWinOverTheScanTime() throws IOException {
        String csv =
                "saddr,sport,optionshex,success,timestamp_ts,timestamp_us\n"
                        + "2001:db8::7,80,,0,1460000000,123456\n";
        ProbeReply r = decode(csv, withScanTime()).get(0).reply();
        assertThat(CaptureTime.format(r.captureTimeMicros()))
                .isEqualTo("2016-04-07T03:33:20.123456Z");
        assertThat(r.reply().type()).isEqualTo(ReplyType.RST);
        assertThat(r.probe().target()).isEqualTo("2001:db8::7");
        assertThat(r.reply().mpCapable()).isNull();
    }

    @Test
    void everyBrokenRowBecomesADeadLetterWithItsLineAndReason() throws IOException {
        String csv =
                "saddr,sport,optionshex,success\n"
                        + "198.51.100.1,443,0x020405b4,1\n"
                        + "198.51.100.2,443,0x020405b\n"
                        + "198.51.100.3,443,0x020405b,1\n"
                        + "not-an-ip,443,0x020405b4,1\n"
                        + "198.51.100.5,70000,0x020405b4,1\n"
                        + "198.51.100.6,443,0xzz,1\n"
                        + "198.51.100.7,443,0x020405b4,maybe\n"
                        + "\"198.51.100.8,443,0x020405b4,1\n"
                        + "198.51.100.9,443,0x1e0200,1\n";
        List<CensusInput> records = decode(csv, withScanTime());
        assertThat(records).hasSize(9);
        assertThat(records.get(0).reply()).isNotNull();
        for (int i = 1; i < 8; i++) {
            assertThat(records.get(i).deadLetter()).as("row " + i).isNotNull();
            assertThat(records.get(i).deadLetter().location()).isEqualTo("line " + (i + 2));
        }
        assertThat(records.get(1).deadLetter().reason()).contains("3 fields, the header names 4");
        assertThat(records.get(2).deadLetter().reason()).contains("odd number of hex digits");
        assertThat(records.get(3).deadLetter().reason()).contains("not-an-ip");
        assertThat(records.get(4).deadLetter().reason()).contains("70000");
        assertThat(records.get(5).deadLetter().reason()).contains("not hex");
        assertThat(records.get(6).deadLetter().reason()).contains("maybe");
        assertThat(records.get(7).deadLetter().reason()).contains("unterminated");
        assertThat(new String(records.get(6).deadLetter().raw(), StandardCharsets.UTF_8))
                .isEqualTo("198.51.100.7,443,0x020405b4,maybe");
        // a well-formed row with a malformed option is a reply carrying the decode error
        assertThat(records.get(8).reply().reply().decodeError()).contains("no subtype");
    }

    @Test
    void rowsWithoutAnyTimeAreDeadLetters() throws IOException {
        List<CensusInput> records =
                decode("saddr,sport,optionshex\n198.51.100.1,443,\n", ArchiveSettings.defaults());
        assertThat(records.get(0).deadLetter().reason()).contains("no capture time");
    }

    @Test
    void headerWithoutSaddrMakesEveryRowADeadLetter() throws IOException {
        List<CensusInput> records =
                decode("daddr,sport\n198.51.100.1,443\n198.51.100.2,443\n", withScanTime());
        assertThat(records).hasSize(3);
        assertThat(records).allSatisfy(r -> assertThat(r.deadLetter()).isNotNull());
    }
}
