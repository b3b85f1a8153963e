package org.mpcensus.probe.event;

import org.mpcensus.probe.packet.MpCapable;

/**
 * The reply to a probe as it arrived.
 *
 * @param type SYN-ACK or RST
 * @param ttl the IPv4 TTL or IPv6 hop limit of the reply, -1 when unknown
 * @param ipId the IPv4 identification, -1 when unknown (and 0 for IPv6)
 * @param window the TCP window, -1 when unknown
 * @param options the raw TCP option bytes of the reply
 * @param mpCapable the decoded MP_CAPABLE option, or null
 * @param decodeError why the options could not be decoded completely, or null when they could
 */
public record Reply(
        ReplyType type,
        int ttl,
        int ipId,
        int window,
        byte[] options,
        MpCapable mpCapable,
        String decodeError) {}
