package org.mpcensus.job.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.awt.image.BufferedImage;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;

/**
 * A real headless Chromium (Debian's {@code chromium}) driven over the DevTools protocol: open a
 * page, evaluate JavaScript in it, take screenshots of parts of it, and collect what it reports as
 * errors (console errors, uncaught exceptions, failed loads). Started as a process of the test,
 * with a profile of its own, ended by its handle.
 */
public final class HeadlessChromium implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final Path profile;
    private final WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final List<String> errors = new CopyOnWriteArrayList<>();
    private volatile CompletableFuture<Void> loaded = new CompletableFuture<>();

    private HeadlessChromium(Process process, Path profile, WebSocket socket) {
        this.process = process;
        this.profile = profile;
        this.socket = socket;
    }

    /** The browser's program, or null when it is not installed. */
    public static String program() {
        for (String p : List.of("/usr/bin/chromium", "/usr/bin/chromium-browser")) {
            if (Files.isExecutable(Path.of(p))) {
                return p;
            }
        }
        return null;
    }

    /** Starts the browser with one blank page and connects to that page. */
    public static HeadlessChromium start() throws Exception {
        Path profile = Files.createTempDirectory("mpcensus-chromium-");
        Process p =
                new ProcessBuilder(
                                program(),
                                "--headless",
                                "--no-sandbox",
                                "--disable-gpu",
                                "--no-first-run",
                                "--remote-debugging-port=0",
                                "--user-data-dir=" + profile,
                                "about:blank")
                        .redirectErrorStream(true)
                        .start();
        BufferedReader out =
                new BufferedReader(
                        new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        Pattern listening = Pattern.compile("DevTools listening on ws://127\\.0\\.0\\.1:(\\d+)/");
        int port = -1;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        String line;
        while (port < 0 && System.nanoTime() < deadline && (line = out.readLine()) != null) {
            Matcher m = listening.matcher(line);
            if (m.find()) {
                port = Integer.parseInt(m.group(1));
            }
        }
        if (port < 0) {
            p.destroyForcibly();
            throw new IOException("chromium did not start its DevTools server");
        }
        // keep draining its output so that it never blocks on a full pipe
        Thread drain =
                new Thread(
                        () -> {
                            try {
                                while (out.readLine() != null) {
                                    // logged by chromium itself, not by the page
                                }
                            } catch (IOException ignored) {
                                // the browser ended
                            }
                        });
        drain.setDaemon(true);
        drain.start();
        HttpClient http = HttpClient.newHttpClient();
        JsonNode targets =
                JSON.readTree(
                        http.send(
                                        HttpRequest.newBuilder(
                                                        URI.create(
                                                                "http://127.0.0.1:"
                                                                        + port
                                                                        + "/json/list"))
                                                .build(),
                                        HttpResponse.BodyHandlers.ofString())
                                .body());
        String page = null;
        for (JsonNode t : targets) {
            if (t.path("type").asText().equals("page")) {
                page = t.path("webSocketDebuggerUrl").asText();
            }
        }
        if (page == null) {
            p.destroyForcibly();
            throw new IOException("chromium has no page");
        }
        HeadlessChromium[] self = new HeadlessChromium[1];
        WebSocket ws =
                http.newWebSocketBuilder()
                        .buildAsync(URI.create(page), new Listener(self))
                        .get(30, TimeUnit.SECONDS);
        self[0] = new HeadlessChromium(p, profile, ws);
        self[0].call("Runtime.enable", null);
        self[0].call("Log.enable", null);
        self[0].call("Page.enable", null);
        return self[0];
    }

    /** Messages from the page: answers to calls, and events. */
    private static final class Listener implements WebSocket.Listener {
        private final HeadlessChromium[] owner;
        private final StringBuilder text = new StringBuilder();

        Listener(HeadlessChromium[] owner) {
            this.owner = owner;
        }

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                String message = text.toString();
                text.setLength(0);
                try {
                    while (owner[0] == null) {
                        Thread.onSpinWait();
                    }
                    owner[0].receive(JSON.readTree(message));
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }
            ws.request(1);
            return null;
        }
    }

    private void receive(JsonNode m) {
        if (m.has("id")) {
            CompletableFuture<JsonNode> f = pending.remove(m.get("id").asInt());
            if (f != null) {
                if (m.has("error")) {
                    f.completeExceptionally(new IOException(m.get("error").toString()));
                } else {
                    f.complete(m.path("result"));
                }
            }
            return;
        }
        String method = m.path("method").asText();
        JsonNode p = m.path("params");
        switch (method) {
            case "Page.loadEventFired" -> loaded.complete(null);
            case "Runtime.exceptionThrown" ->
                    errors.add("exception: " + p.path("exceptionDetails").path("text").asText());
            case "Runtime.consoleAPICalled" -> {
                if (p.path("type").asText().equals("error")) {
                    errors.add("console.error: " + p.path("args"));
                }
            }
            case "Log.entryAdded" -> {
                JsonNode e = p.path("entry");
                if (e.path("level").asText().equals("error")) {
                    errors.add(
                            e.path("source").asText()
                                    + ": "
                                    + e.path("text").asText()
                                    + " "
                                    + e.path("url").asText());
                }
            }
            default -> {}
        }
    }

    /** Calls a DevTools method and waits for its result. */
    public JsonNode call(String method, ObjectNode params) throws Exception {
        int id = ids.incrementAndGet();
        CompletableFuture<JsonNode> f = new CompletableFuture<>();
        pending.put(id, f);
        ObjectNode m = JSON.createObjectNode().put("id", id).put("method", method);
        if (params != null) {
            m.set("params", params);
        }
        socket.sendText(JSON.writeValueAsString(m), true).get(30, TimeUnit.SECONDS);
        return f.get(60, TimeUnit.SECONDS);
    }

    /** Opens a file and waits until it and everything it loads are loaded. */
    public void open(Path file) throws Exception {
        loaded = new CompletableFuture<>();
        call("Page.navigate", JSON.createObjectNode().put("url", file.toUri().toString()));
        loaded.get(60, TimeUnit.SECONDS);
    }

    /** The value of a JavaScript expression (returned by value, as JSON). */
    public JsonNode evaluate(String expression) throws Exception {
        JsonNode r =
                call(
                        "Runtime.evaluate",
                        JSON.createObjectNode()
                                .put("expression", expression)
                                .put("returnByValue", true)
                                .put("awaitPromise", true));
        if (r.has("exceptionDetails")) {
            throw new IOException("evaluate: " + r.get("exceptionDetails"));
        }
        return r.path("result").path("value");
    }

    /** A screenshot of a rectangle of the page, in CSS pixels from the page's top left. */
    public BufferedImage screenshot(double x, double y, double width, double height)
            throws Exception {
        ObjectNode clip =
                JSON.createObjectNode()
                        .put("x", x)
                        .put("y", y)
                        .put("width", width)
                        .put("height", height)
                        .put("scale", 1);
        ObjectNode params = JSON.createObjectNode().put("format", "png");
        params.set("clip", clip);
        params.put("captureBeyondViewport", true);
        byte[] png =
                Base64.getDecoder()
                        .decode(call("Page.captureScreenshot", params).path("data").asText());
        return ImageIO.read(new ByteArrayInputStream(png));
    }

    /** What the page reported as errors so far. */
    public List<String> errors() {
        return new ArrayList<>(errors);
    }

    @Override
    public void close() throws Exception {
        try {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "").get(5, TimeUnit.SECONDS);
        } catch (Exception ignored) {
            // the browser goes anyway
        }
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
        try (var files = Files.walk(profile)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }
}
