package org.mpcensus.probe.archive;

import java.io.IOException;
import java.util.List;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.enumerate.NonSplittingRecursiveEnumerator;
import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.FileSystem;

/**
 * Lists the files of a replay (directories recursively, hidden files skipped) and cuts each
 * uncompressed CSV or JSON Lines file larger than {@code splitBytes} into byte ranges of about that
 * size, so that several readers decode one large file in parallel ({@link LineRange}). Captures and
 * gzip files are read whole.
 */
final class ArchiveEnumerator extends NonSplittingRecursiveEnumerator {
    private final ArchiveFormat kind;
    private final long splitBytes;

    /**
     * @param kind the format of every file, or null to tell it from each name
     * @param splitBytes the size of a range; 0 reads every file whole
     */
    ArchiveEnumerator(ArchiveFormat kind, long splitBytes) {
        this.kind = kind;
        this.splitBytes = splitBytes;
    }

    /** Whether a file of this name can be read in ranges: uncompressed lines of text. */
    static boolean splittable(ArchiveFormat kind, String name) {
        if (name.endsWith(".gz")) {
            return false;
        }
        ArchiveFormat k;
        try {
            k = kind != null ? kind : ArchiveFormat.detect(name);
        } catch (IllegalArgumentException e) {
            return false; // read whole, to become one dead letter
        }
        return k == ArchiveFormat.CSV || k == ArchiveFormat.JSONL;
    }

    @Override
    protected void convertToSourceSplits(
            FileStatus file, FileSystem fs, List<FileSourceSplit> target) throws IOException {
        long size = file.getLen();
        if (splitBytes <= 0 || size <= splitBytes || !splittable(kind, file.getPath().getName())) {
            super.convertToSourceSplits(file, fs, target);
            return;
        }
        long parts = (size + splitBytes - 1) / splitBytes;
        long part = (size + parts - 1) / parts;
        for (long start = 0; start < size; start += part) {
            target.add(
                    new FileSourceSplit(
                            getNextId(),
                            file.getPath(),
                            start,
                            Math.min(part, size - start),
                            file.getModificationTime(),
                            size));
        }
    }
}
