package org.mpcensus.job.cli;

/**
 * A mistake of the user's that a command finds while it runs (an unreachable cluster, say): printed
 * as one line naming the command, exit status 2, no stack trace.
 */
final class UserError extends RuntimeException {
    UserError(String message) {
        super(message);
    }
}
