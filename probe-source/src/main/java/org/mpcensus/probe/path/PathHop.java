package org.mpcensus.probe.path;

import java.util.List;

/**
 * What one hop of a path said about a path probe: the router that sent the ICMP message, how much
 * of the probe it quoted, and what had changed in the probe by the time it got there.
 *
 * @param ttl the probe's TTL (the hop's distance)
 * @param router the ICMP message's source
 * @param quoteLength bytes of the probe quoted (28 or 48 for RFC 792 quotes, the whole probe for
 *     RFC 1812 routers)
 * @param modifications the changes the quote shows, empty when none, null when the quote cannot
 *     show the options (fewer than the whole TCP header)
 * @param unreachable whether the message was destination unreachable rather than time exceeded
 * @param prohibited whether it was "administratively prohibited"
 */
public record PathHop(
        int ttl,
        String router,
        int quoteLength,
        List<String> modifications,
        boolean unreachable,
        boolean prohibited) {

    /** Whether the quote showed the whole TCP header. */
    public boolean full() {
        return modifications != null;
    }
}
