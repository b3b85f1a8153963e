package org.mpcensus.probe.target;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The blocklist on the send path: a fixed {@link Blocklist} plus an opt-out file that is re-read
 * when it changes, checked at most every {@link #RECHECK_NANOS} so a new entry stops probes within
 * a second. A file that fails to parse keeps the previous opt-outs (and is logged). Used by one
 * sending thread; {@link #blocks} is cheap between re-checks.
 */
public final class OptOutList {
    /** How often the opt-out file's modification time is checked. */
    public static final long RECHECK_NANOS = 250_000_000L;

    private static final Logger LOG = LoggerFactory.getLogger(OptOutList.class);

    private final Blocklist fixed;
    private final Path optOutFile;
    private volatile Blocklist optOut;
    private FileTime loadedVersion;
    private long nextCheck;

    public OptOutList(Blocklist fixed, Path optOutFile) {
        this.fixed = fixed;
        this.optOutFile = optOutFile;
        this.optOut = null;
        reloadIfChanged(System.nanoTime());
    }

    /** True when the address may not be probed. */
    public boolean blocks(byte[] address) {
        if (fixed.blocks(address)) {
            return true;
        }
        if (optOutFile == null) {
            return false;
        }
        long now = System.nanoTime();
        if (now - nextCheck >= 0) {
            reloadIfChanged(now);
        }
        Blocklist current = optOut;
        return current != null && current.blocks(address);
    }

    private void reloadIfChanged(long now) {
        nextCheck = now + RECHECK_NANOS;
        if (optOutFile == null) {
            return;
        }
        try {
            if (!Files.exists(optOutFile)) {
                optOut = null;
                loadedVersion = null;
                return;
            }
            FileTime modified = Files.getLastModifiedTime(optOutFile);
            long size = Files.size(optOutFile);
            FileTime version = FileTime.fromMillis(modified.toMillis() ^ (size << 40));
            if (version.equals(loadedVersion)) {
                return;
            }
            optOut = Blocklist.of(List.of(optOutFile), List.of());
            loadedVersion = version;
        } catch (IOException e) {
            LOG.warn(
                    "opt-out file {} not reloaded, keeping the previous entries: {}",
                    optOutFile,
                    e.getMessage());
        }
    }
}
