package org.mpcensus.job.path;

import org.mpcensus.probe.path.PathResult;
import org.mpcensus.udf.scope.HostOfInterest;

/**
 * One row of {@code census_paths}: the host as the census knew it, and its path's verdict.
 *
 * @param request the host
 * @param result the verdict
 */
public record PathRow(HostOfInterest request, PathResult result) {}
