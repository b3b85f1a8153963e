package org.mpcensus.probe.event;

/** What a probed host answered: a SYN-ACK (port open) or a RST (port closed). */
public enum ReplyType {
    SYN_ACK,
    RST
}
