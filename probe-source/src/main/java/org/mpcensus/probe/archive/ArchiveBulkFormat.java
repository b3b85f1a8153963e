package org.mpcensus.probe.archive;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import javax.annotation.Nullable;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.reader.BulkFormat;
import org.apache.flink.connector.file.src.util.CheckpointedPosition;
import org.apache.flink.connector.file.src.util.IteratorResultIterator;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;
import org.mpcensus.probe.event.CensusInput;
import org.mpcensus.probe.event.DeadLetter;
import org.mpcensus.probe.event.InputProgress;

/**
 * A {@link BulkFormat} for Flink's {@code FileSource} that reads an archive file with an {@link
 * ArchiveDecoder}: a capture or a gzip file whole, a large CSV or JSON Lines file in byte ranges
 * that {@link ArchiveEnumerator} made ({@link LineRange}; a CSV range after the first reads the
 * file's header row first). The checkpointed position is the number of records the split emitted; a
 * restored reader re-decodes and skips them. Files ending in {@code .gz} are decompressed. Read
 * errors end the file with a dead letter.
 */
public final class ArchiveBulkFormat implements BulkFormat<CensusInput, FileSourceSplit> {

    private static final int BATCH = 512;

    private final ArchiveFormat kind;
    private final ArchiveSettings settings;

    public ArchiveBulkFormat(@Nullable ArchiveFormat kind, ArchiveSettings settings) {
        this.kind = kind;
        this.settings = settings;
    }

    @Override
    public Reader<CensusInput> createReader(Configuration config, FileSourceSplit split)
            throws IOException {
        return new ArchiveReader(open(split), split.path().toString(), 0);
    }

    /** The decoder of a split: a whole file, or a byte range of a text file. */
    private ArchiveDecoder open(FileSourceSplit split) {
        if (split.offset() == 0 && split.length() >= split.fileSize()) {
            return open(split.path());
        }
        Path path = split.path();
        String source = path.toString();
        long start = split.offset();
        try {
            FileSystem fs = path.getFileSystem();
            ArchiveFormat k = kind != null ? kind : ArchiveFormat.detect(path.getName());
            InputStream in =
                    new BufferedInputStream(
                            InputProgress.counting(
                                    LineRange.of(fs.open(path), start, start + split.length())),
                            1 << 16);
            if (k == ArchiveFormat.JSONL) {
                return new ReplyArchiveDecoder(in, source, settings.maxLineBytes(), start);
            }
            String header =
                    start == 0
                            ? null
                            : ZmapCsvDecoder.headerBefore(
                                    fs.open(path), start, settings.maxLineBytes());
            return new ZmapCsvDecoder(in, source, settings, start, header);
        } catch (IOException | RuntimeException e) {
            return cannotOpen(source + " from byte " + start, e);
        }
    }

    /**
     * The decoder of a file; a file that is not a regular file, cannot be opened or is not gzip
     * though named so becomes one dead letter instead.
     */
    private ArchiveDecoder open(Path path) {
        String source = path.toString();
        String problem = notRegular(path);
        if (problem != null) {
            return failed(new DeadLetter(source, "file", problem, new byte[0], -1));
        }
        InputStream in;
        try {
            in = InputProgress.counting(path.getFileSystem().open(path));
        } catch (IOException | RuntimeException e) {
            return cannotOpen(source, e);
        }
        return decoder(in, path.getName(), source);
    }

    /**
     * The decoder of one file's bytes: decompressed when its name ends in {@code .gz}, of this
     * format's kind or the one its name tells. A stream that is not gzip though named so, or a name
     * that tells no format, gives one dead letter.
     *
     * @param raw the file's bytes (closed with the decoder)
     * @param name the file's name
     * @param source the file, as dead letters name it
     */
    public ArchiveDecoder decoder(InputStream raw, String name, String source) {
        InputStream in = new BufferedInputStream(raw, 1 << 16);
        try {
            if (name.endsWith(".gz")) {
                in = new GZIPInputStream(in, 1 << 16);
            }
            ArchiveFormat k = kind != null ? kind : ArchiveFormat.detect(name);
            return k.decoder(in, source, settings);
        } catch (IOException | RuntimeException e) {
            closeQuietly(in);
            return cannotOpen(source, e);
        }
    }

    /** Why a local path is no regular file (a FIFO would block a bounded replay), or null. */
    private static String notRegular(Path path) {
        java.net.URI uri = path.toUri();
        if (uri.getScheme() != null && !uri.getScheme().equals("file")) {
            return null;
        }
        java.nio.file.Path p = java.nio.file.Path.of(uri.getPath());
        if (java.nio.file.Files.isRegularFile(p)) {
            return null;
        }
        return java.nio.file.Files.exists(p)
                ? "not a regular file (a FIFO, device or socket): skipped"
                : "file disappeared before it was read";
    }

    private static void closeQuietly(InputStream in) {
        if (in != null) {
            try {
                in.close();
            } catch (IOException ignored) {
                // the open failure is what is reported
            }
        }
    }

    private static ArchiveDecoder cannotOpen(String source, Exception e) {
        return failed(
                new DeadLetter(
                        source,
                        "file",
                        "file could not be opened: " + DeadLetter.reasonOf(e),
                        new byte[0],
                        -1));
    }

    private static ArchiveDecoder failed(DeadLetter letter) {
        return ArchiveDecoder.failed(letter, () -> {});
    }

    @Override
    public Reader<CensusInput> restoreReader(Configuration config, FileSourceSplit split)
            throws IOException {
        long skip =
                split.getReaderPosition()
                        .map(CheckpointedPosition::getRecordsAfterOffset)
                        .orElse(0L);
        ArchiveReader reader = new ArchiveReader(open(split), split.path().toString(), skip);
        for (long i = 0; i < skip; i++) {
            if (reader.decodeNext() == null) {
                break;
            }
        }
        return reader;
    }

    @Override
    public boolean isSplittable() {
        return true;
    }

    @Override
    public TypeInformation<CensusInput> getProducedType() {
        return TypeInformation.of(CensusInput.class);
    }

    /** Reads batches from one decoder; runs on the source's split fetcher thread. */
    static final class ArchiveReader implements BulkFormat.Reader<CensusInput> {
        private final ArchiveDecoder decoder;
        private final String source;
        private long emitted;
        private boolean ended;

        ArchiveReader(ArchiveDecoder decoder, String source, long alreadyEmitted) {
            this.decoder = decoder;
            this.source = source;
            this.emitted = alreadyEmitted;
        }

        /** The next record, turning an I/O failure into a final dead letter. */
        CensusInput decodeNext() {
            if (ended) {
                return null;
            }
            try {
                CensusInput r = decoder.next();
                if (r == null) {
                    ended = true;
                }
                return r;
            } catch (IOException | RuntimeException e) {
                // A decoder bug must not stop the replay either: the file ends here, reported.
                ended = true;
                return CensusInput.of(
                        new DeadLetter(
                                source,
                                "after record " + emitted,
                                "file could not be read to its end: " + DeadLetter.reasonOf(e),
                                new byte[0],
                                -1));
            }
        }

        @Nullable
        @Override
        public RecordIterator<CensusInput> readBatch() {
            List<CensusInput> batch = new ArrayList<>(BATCH);
            CensusInput r;
            while (batch.size() < BATCH && (r = decodeNext()) != null) {
                batch.add(r);
            }
            if (batch.isEmpty()) {
                return null;
            }
            long start = emitted;
            emitted += batch.size();
            int letters = 0;
            for (CensusInput in : batch) {
                letters += in.deadLetter() != null ? 1 : 0;
            }
            InputProgress.recordsRead(batch.size(), letters);
            return new IteratorResultIterator<>(
                    batch.iterator(), CheckpointedPosition.NO_OFFSET, start);
        }

        @Override
        public void close() throws IOException {
            decoder.close();
        }
    }
}
