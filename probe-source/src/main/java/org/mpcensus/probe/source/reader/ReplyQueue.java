package org.mpcensus.probe.source.reader;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.mpcensus.probe.event.ProbeReply;

/** Replies the capture has matched and the task thread has not emitted yet, with their count. */
final class ReplyQueue {
    private final ConcurrentLinkedQueue<ProbeReply> replies = new ConcurrentLinkedQueue<>();
    private final AtomicInteger size = new AtomicInteger();

    void add(ProbeReply r) {
        size.incrementAndGet();
        replies.add(r);
    }

    /** The oldest reply, or null. */
    ProbeReply poll() {
        ProbeReply r = replies.poll();
        if (r != null) {
            size.decrementAndGet();
        }
        return r;
    }

    int size() {
        return size.get();
    }

    boolean isEmpty() {
        return replies.isEmpty();
    }
}
