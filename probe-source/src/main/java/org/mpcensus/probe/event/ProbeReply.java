package org.mpcensus.probe.event;

/**
 * One reply to one probe: the event every mpcensus source emits and every function consumes. Its
 * event time is the capture time. Serialized by Flink as a POJO (no Kryo) and archived as JSON
 * Lines.
 *
 * @param captureTimeMicros when the reply was captured, microseconds since the epoch (UTC)
 * @param vantage the vantage point that sent the probe
 * @param scanId the scan the probe belongs to
 * @param probe what was sent
 * @param reply what came back
 */
public record ProbeReply(
        long captureTimeMicros, String vantage, String scanId, Probe probe, Reply reply) {}
