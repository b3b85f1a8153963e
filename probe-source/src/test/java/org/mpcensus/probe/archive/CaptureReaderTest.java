package org.mpcensus.probe.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mpcensus.probe.testing.SharedData;

class CaptureReaderTest {

    static List<CapturedFrame> readAll(byte[] file) throws IOException {
        List<CapturedFrame> out = new ArrayList<>();
        try (CaptureReader r = new CaptureReader(new ByteArrayInputStream(file))) {
            CapturedFrame f;
            while ((f = r.next()) != null) {
                out.add(f);
            }
        }
        return out;
    }

    static List<CapturedFrame> realFrames() throws IOException {
        return readAll(Files.readAllBytes(SharedData.file("ptcpdump/mptcp.pcap")));
    }

    /** Writes frames as pcapng: SHB, one IDB with if_tsresol = 10^-9, and EPBs. */
    static byte[] pcapng(List<CapturedFrame> frames, ByteOrder order) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        block(
                out,
                order,
                0x0a0d0d0a,
                buf(order, 16)
                        .putInt(0x1a2b3c4d)
                        .putShort((short) 1)
                        .putShort((short) 0)
                        .putLong(-1)
                        .array());
        ByteBuffer idb = buf(order, 16);
        idb.putShort((short) frames.get(0).linkType()).putShort((short) 0).putInt(65535);
        idb.putShort((short) 9).putShort((short) 1).put((byte) 9).put(new byte[3]);
        block(out, order, 1, idb.array());
        for (CapturedFrame f : frames) {
            int padded = (f.data().length + 3) & ~3;
            ByteBuffer epb = buf(order, 20 + padded);
            epb.putInt(0)
                    .putInt((int) (f.timestampNanos() >>> 32))
                    .putInt((int) f.timestampNanos());
            epb.putInt(f.data().length).putInt(f.originalLength()).put(f.data());
            block(out, order, 6, epb.array());
        }
        return out.toByteArray();
    }

    private static ByteBuffer buf(ByteOrder order, int n) {
        return ByteBuffer.allocate(n).order(order);
    }

    private static void block(ByteArrayOutputStream out, ByteOrder order, int type, byte[] body) {
        int total = 12 + body.length;
        out.writeBytes(buf(order, 8).putInt(type).putInt(total).array());
        out.writeBytes(body);
        out.writeBytes(buf(order, 4).putInt(total).array());
    }

    @ParameterizedTest
    @ValueSource(strings = {"LITTLE_ENDIAN", "BIG_ENDIAN"})
    void pcapngWithNanosecondTimestampsReadsTheSameFrames(String orderName) throws IOException {
        ByteOrder order =
                orderName.equals("BIG_ENDIAN") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        List<CapturedFrame> pcap = realFrames();
        List<CapturedFrame> ng = readAll(pcapng(pcap, order));
        assertThat(ng).hasSize(pcap.size());
        for (int i = 0; i < pcap.size(); i++) {
            assertThat(ng.get(i).data()).isEqualTo(pcap.get(i).data());
            assertThat(ng.get(i).timestampNanos()).isEqualTo(pcap.get(i).timestampNanos());
            assertThat(ng.get(i).linkType()).isEqualTo(1);
            assertThat(ng.get(i).number()).isEqualTo(i + 1);
        }
    }

    @Test
    void pcapMicrosecondTimestampsAreExact() throws IOException {
        // ptcpdump's first SYN is 02:55:35.698856 in its (local) text decode
        assertThat(realFrames().get(0).timestampNanos() % 1_000_000_000L).isEqualTo(698_856_000L);
    }

    @Test
    void notACaptureIsRejectedWithTheMagic() {
        assertThatThrownBy(
                        () ->
                                new CaptureReader(
                                        new ByteArrayInputStream("saddr,sport\n".getBytes())))
                .isInstanceOf(CorruptCaptureException.class)
                .hasMessageContaining("not a pcap or pcapng file");
    }

    @Test
    void fileCutInsideAFrameIsCorruptAtAnOffset() throws IOException {
        byte[] whole = Files.readAllBytes(SharedData.file("ptcpdump/mptcp.pcap"));
        byte[] cut = Arrays.copyOf(whole, 24 + 16 + 40);
        try (InputStream in = new ByteArrayInputStream(cut);
                CaptureReader r = new CaptureReader(in)) {
            assertThatThrownBy(r::next)
                    .isInstanceOf(CorruptCaptureException.class)
                    .hasMessageContaining("file ends inside the data of frame 1");
        }
    }

    @Test
    void absurdRecordLengthIsCorrupt() throws IOException {
        byte[] whole = Files.readAllBytes(SharedData.file("ptcpdump/mptcp.pcap"));
        ByteBuffer.wrap(whole).order(ByteOrder.LITTLE_ENDIAN).putInt(24 + 8, 0x7fffffff);
        try (CaptureReader r = new CaptureReader(new ByteArrayInputStream(whole))) {
            assertThatThrownBy(r::next)
                    .isInstanceOf(CorruptCaptureException.class)
                    .hasMessageContaining("claims");
        }
    }
}
