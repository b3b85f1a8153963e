package org.mpcensus.probe.archive;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class LineReaderTest {

    /** {@code n} bytes of 'a' without storing them. */
    static InputStream repeated(long n) {
        return new InputStream() {
            long left = n;

            @Override
            public int read() {
                return left-- > 0 ? 'a' : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (left <= 0) {
                    return -1;
                }
                int k = (int) Math.min(len, left);
                java.util.Arrays.fill(b, off, off + k, (byte) 'a');
                left -= k;
                return k;
            }
        };
    }

    @Test
    void aLineOf2Point6GigabytesIsCutNotHeldAndTheNextLineIsRead() throws IOException {
        long huge = 2_600_000_000L;
        InputStream in =
                new SequenceInputStream(
                        repeated(huge),
                        new ByteArrayInputStream("\nnext\r\n".getBytes(StandardCharsets.US_ASCII)));
        try (LineReader r = new LineReader(in, 1024)) {
            LineReader.Line first = r.next();
            assertThat(first.cut()).isTrue();
            assertThat(first.fullLength()).isEqualTo(huge);
            assertThat(first.text()).hasSize(1024);
            LineReader.Line second = r.next();
            assertThat(second.cut()).isFalse();
            assertThat(second.text()).isEqualTo("next");
            assertThat(r.next()).isNull();
        }
    }

    @Test
    void lastLineWithoutNewlineAndEmptyLinesAreKept() throws IOException {
        try (LineReader r =
                new LineReader(
                        new ByteArrayInputStream("a\n\nb".getBytes(StandardCharsets.US_ASCII)),
                        16)) {
            assertThat(r.next().text()).isEqualTo("a");
            assertThat(r.next().text()).isEmpty();
            assertThat(r.next().text()).isEqualTo("b");
            assertThat(r.next()).isNull();
        }
    }
}
