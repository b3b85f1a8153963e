package org.mpcensus.probe.wire;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Link-layer facts the prober needs to build Ethernet frames: the interface's MAC, and the next
 * hop's MAC from the routing and neighbour tables ({@code ip route get}, {@code ip neigh show}).
 */
public final class NextHop {
    private static final Pattern VIA = Pattern.compile(" via (\\S+) ");
    private static final Pattern LLADDR = Pattern.compile("lladdr ([0-9a-f:]{17})");
    private static final Pattern DEV = Pattern.compile(" dev (\\S+) ");
    private static final Pattern SRC = Pattern.compile(" src (\\S+) ");

    /** Where the kernel routes a destination: the interface and its source address. */
    public record Route(String interfaceName, String source) {}

    private NextHop() {}

    /** The MAC address of an interface. */
    public static byte[] interfaceMac(String interfaceName) throws IOException {
        String text =
                Files.readString(
                                Path.of("/sys/class/net", interfaceName, "address"),
                                StandardCharsets.US_ASCII)
                        .trim();
        return parseMac(text);
    }

    /** Parses {@code aa:bb:cc:dd:ee:ff}. */
    public static byte[] parseMac(String text) {
        String hex = text.trim().replace(":", "").replace("-", "");
        if (hex.length() != 12) {
            throw new IllegalArgumentException("not a MAC address: '" + text + "'");
        }
        return HexFormat.of().parseHex(hex);
    }

    /**
     * The MAC of the next hop towards {@code target} on the interface, from the neighbour table.
     *
     * @throws IOException when the neighbour is unknown: give the gateway MAC explicitly
     */
    public static byte[] gatewayMac(String interfaceName, String target) throws IOException {
        if (isLoopback(interfaceName)) {
            // Frames on the loopback interface carry no real addresses: the kernel takes any.
            return new byte[6];
        }
        String route = run(List.of("ip", "route", "get", target, "oif", interfaceName));
        Matcher via = VIA.matcher(route + " ");
        String neighbour = via.find() ? via.group(1) : target;
        String neigh = run(List.of("ip", "neigh", "show", neighbour, "dev", interfaceName));
        Matcher mac = LLADDR.matcher(neigh);
        if (!mac.find()) {
            throw new WireSetupException(
                    "next hop "
                            + neighbour
                            + " on "
                            + interfaceName
                            + " is not in the neighbour table: give its MAC with --gateway-mac");
        }
        return parseMac(mac.group(1));
    }

    /**
     * The kernel's route to a destination ({@code ip route get}): how a prober on a host of many
     * interfaces, such as a Kubernetes node, finds its interface and source address itself.
     *
     * @throws IOException when there is no route
     */
    public static Route route(String target) throws IOException {
        String route = run(List.of("ip", "route", "get", target)) + " ";
        Matcher dev = DEV.matcher(route);
        Matcher src = SRC.matcher(route);
        if (!dev.find() || !src.find()) {
            throw new WireSetupException("no route to " + target + ": " + route.strip());
        }
        return new Route(dev.group(1), src.group(1));
    }

    /** Whether an interface is a loopback one ({@code IFF_LOOPBACK} in its flags). */
    static boolean isLoopback(String interfaceName) {
        try {
            String flags =
                    Files.readString(
                                    Path.of("/sys/class/net", interfaceName, "flags"),
                                    StandardCharsets.US_ASCII)
                            .trim();
            return (Long.decode(flags) & 0x8) != 0;
        } catch (IOException | NumberFormatException | java.nio.file.InvalidPathException e) {
            return false;
        }
    }

    private static String run(List<String> command) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", command) + " did not finish");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
}
