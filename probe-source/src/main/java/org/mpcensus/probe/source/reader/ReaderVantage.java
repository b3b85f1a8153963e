package org.mpcensus.probe.source.reader;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import org.mpcensus.probe.packet.IpAddress;
import org.mpcensus.probe.source.plan.ScanPlan;
import org.mpcensus.probe.wire.NextHop;

/**
 * Where one reader sends from: its interface, its slice of the source ports (readers of one scan
 * never share a port, so each captures only its own replies), its source addresses and the MAC of
 * the next hop. {@code auto} settings are resolved from this host's routes to the scan's targets.
 *
 * @param interfaceName the interface to send and capture on
 * @param firstPort the first source port of the reader's slice
 * @param portSlice how many source ports the slice has
 * @param ipv4 the IPv4 source address, or null
 * @param ipv6 the IPv6 source address, or null
 * @param gatewayMac the next hop's MAC
 */
public record ReaderVantage(
        String interfaceName,
        int firstPort,
        int portSlice,
        byte[] ipv4,
        byte[] ipv6,
        byte[] gatewayMac) {

    /** The capture filter of the reader's replies: TCP to its slice of ports. */
    String captureFilter() {
        return "tcp and dst portrange " + firstPort + "-" + (firstPort + portSlice - 1);
    }

    /** Resolves the vantage of reader {@code index} of {@code readers}. */
    public static ReaderVantage resolve(ScanPlan plan, int readers, int index) throws IOException {
        int slice = plan.origin().sourcePortCount() / readers;
        if (slice < 1) {
            throw new IOException(
                    "source-port-count "
                            + plan.origin().sourcePortCount()
                            + " < readers "
                            + readers);
        }
        int firstPort = plan.origin().sourcePortFirst() + index * slice;
        byte[] anyTarget = plan.space().address(0);
        Map<String, NextHop.Route> routes = new HashMap<>();
        String iface =
                ScanPlan.AUTO.equals(plan.origin().interfaceName())
                        ? route(anyTarget, routes).interfaceName()
                        : plan.origin().interfaceName();
        byte[] us4 = sourceAddress(plan, plan.origin().sourceIpv4(), 4, routes);
        byte[] us6 = sourceAddress(plan, plan.origin().sourceIpv6(), 16, routes);
        byte[] gatewayMac =
                plan.origin().gatewayMac() != null
                        ? NextHop.parseMac(plan.origin().gatewayMac())
                        : NextHop.gatewayMac(iface, IpAddress.format(anyTarget));
        return new ReaderVantage(iface, firstPort, slice, us4, us6, gatewayMac);
    }

    /**
     * A configured source address, or for {@code auto} the source of this host's route to the
     * scan's first target of the family (null when the scan has none).
     */
    private static byte[] sourceAddress(
            ScanPlan plan, String configured, int length, Map<String, NextHop.Route> routes)
            throws IOException {
        if (configured == null) {
            return null;
        }
        if (!ScanPlan.AUTO.equals(configured)) {
            return IpAddress.parse(configured);
        }
        byte[] target = plan.space().firstAddress(length);
        return target == null ? null : IpAddress.parse(route(target, routes).source());
    }

    /** The kernel's route to a target, asked once per target while the wire opens. */
    private static NextHop.Route route(byte[] target, Map<String, NextHop.Route> routes)
            throws IOException {
        String address = IpAddress.format(target);
        NextHop.Route r = routes.get(address);
        if (r == null) {
            r = NextHop.route(address);
            routes.put(address, r);
        }
        return r;
    }
}
