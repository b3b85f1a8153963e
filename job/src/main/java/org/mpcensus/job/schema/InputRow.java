package org.mpcensus.job.schema;

/**
 * One row of {@code census_inputs} ({@link CensusTables#INPUTS}): a file whose content the census
 * holds.
 *
 * @param sha256 the SHA-256 of the file's content, in hex
 * @param bytes its size
 * @param path the path it was read under
 * @param command the command that read it ({@code replay}, {@code traffic}): a file is held once
 *     per command
 * @param runId the run that read it
 * @param recordedMicros when that run started (microseconds since 1970, UTC)
 */
public record InputRow(
        String sha256,
        long bytes,
        String path,
        String command,
        String runId,
        long recordedMicros) {}
