package org.mpcensus.probe.archive;

import java.io.Serializable;
import org.apache.flink.configuration.Configuration;
import org.mpcensus.probe.event.CaptureTime;
import org.mpcensus.probe.packet.Bytes;
import org.mpcensus.probe.packet.MpCapable;
import org.mpcensus.probe.packet.SynProbe;

/**
 * The resolved {@link ArchiveOptions}, carried by the replay formats to the task managers.
 *
 * @param scanTimeMicros capture time for rows without one, or null
 * @param probedVersion MPTCP version of probes the archive does not record
 * @param probeKey static v0 key of probes the archive does not record
 * @param port probed port for rows without one, or null
 * @param vantage the vantage id
 * @param scanId the scan id, or null for "the file name"
 * @param maxLineBytes the longest text line read whole
 */
public record ArchiveSettings(
        Long scanTimeMicros,
        int probedVersion,
        long probeKey,
        Integer port,
        String vantage,
        String scanId,
        int maxLineBytes)
        implements Serializable {

    /** Reads the settings from a configuration, checking each value. */
    public static ArchiveSettings fromConfiguration(Configuration conf) {
        Long scanTime =
                conf.getOptional(ArchiveOptions.SCAN_TIME).map(CaptureTime::parse).orElse(null);
        int version = conf.get(ArchiveOptions.PROBED_VERSION);
        if (version != 0 && version != 1) {
            throw new IllegalArgumentException(
                    ArchiveOptions.PROBED_VERSION.key() + " is 0 or 1, not " + version);
        }
        int maxLine = conf.get(ArchiveOptions.MAX_LINE_BYTES);
        if (maxLine < 256) {
            throw new IllegalArgumentException(
                    ArchiveOptions.MAX_LINE_BYTES.key() + " is at least 256, not " + maxLine);
        }
        return new ArchiveSettings(
                scanTime,
                version,
                Bytes.parseHex64(conf.get(ArchiveOptions.PROBE_KEY)),
                conf.getOptional(ArchiveOptions.PORT).orElse(null),
                conf.get(ArchiveOptions.VANTAGE),
                conf.getOptional(ArchiveOptions.SCAN_ID).orElse(null),
                maxLine);
    }

    /** Defaults: v0 probes with the ZMap fork's key. */
    public static ArchiveSettings defaults() {
        return fromConfiguration(new Configuration());
    }

    /** The option bytes of the probe the archive does not record, built from version and key. */
    public byte[] assumedProbeOptions() {
        return SynProbe.options(probedVersion, MpCapable.PROBE_FLAGS, probeKey);
    }

    /** The scan id for a file: the configured one, or the file's name. */
    public String scanIdFor(String source) {
        if (scanId != null) {
            return scanId;
        }
        int slash = source.lastIndexOf('/');
        return slash >= 0 ? source.substring(slash + 1) : source;
    }
}
