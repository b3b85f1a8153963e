package org.mpcensus.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The manifests of {@code k8s/} as the cluster would receive them: each overlay rendered by {@code
 * kubectl kustomize}, split into objects. Also finds the other files the manifests are tied to (the
 * repository root, the operator's CRDs in {@code shared/data}).
 */
public final class Manifests {
    static final YAMLMapper YAML = new YAMLMapper();
    static final ObjectMapper JSON = new ObjectMapper();

    /** The overlays users apply. */
    static final List<String> OVERLAYS = List.of("local", "production");

    private Manifests() {}

    /** The folder {@code k8s/}. */
    static Path k8s() {
        Path here = Path.of("").toAbsolutePath();
        for (Path d = here; d != null; d = d.getParent()) {
            if (Files.isDirectory(d.resolve("overlays")) && Files.isDirectory(d.resolve("base"))) {
                return d;
            }
            if (Files.isDirectory(d.resolve("k8s/overlays"))) {
                return d.resolve("k8s");
            }
        }
        throw new IllegalStateException("k8s/ not found from " + here);
    }

    /** The repository root. */
    static Path root() {
        return k8s().getParent();
    }

    /** A file of {@code shared/data}, which lives beside the repository. */
    static Path sharedData(String relative) {
        for (Path d = root(); d != null; d = d.getParent()) {
            Path candidate = d.resolveSibling("shared").resolve("data");
            if (Files.isRegularFile(candidate.resolve("PROVENANCE.md"))) {
                return candidate.resolve(relative);
            }
        }
        throw new IllegalStateException("shared/data not found beside " + root());
    }

    /** The objects of an overlay, rendered by {@code kubectl kustomize}. */
    static List<ObjectNode> render(String overlay) throws IOException, InterruptedException {
        Path dir = k8s().resolve("overlays").resolve(overlay);
        Process p =
                new ProcessBuilder("kubectl", "kustomize", dir.toString())
                        .redirectError(ProcessBuilder.Redirect.INHERIT)
                        .start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("kubectl kustomize " + dir + " failed");
        }
        return parse(new String(out, StandardCharsets.UTF_8));
    }

    /** The objects of a multi-document YAML text. */
    static List<ObjectNode> parse(String yaml) throws IOException {
        List<ObjectNode> objects = new ArrayList<>();
        for (JsonNode n : YAML.readerFor(JsonNode.class).<JsonNode>readValues(yaml).readAll()) {
            if (n != null && n.isObject()) {
                objects.add((ObjectNode) n);
            }
        }
        return objects;
    }

    private static List<Located> rendered;

    /**
     * The objects of every overlay, each tagged with its overlay, rendered once per test JVM.
     * Callers copy an object before changing it.
     */
    static synchronized List<Located> all() throws IOException, InterruptedException {
        if (rendered == null) {
            List<Located> all = new ArrayList<>();
            for (String overlay : OVERLAYS) {
                for (ObjectNode o : render(overlay)) {
                    all.add(new Located(overlay, o));
                }
            }
            rendered = List.copyOf(all);
        }
        return rendered;
    }

    /**
     * The one object of an overlay with a kind and a name; generated names (ConfigMaps with a
     * content hash) match by their prefix.
     */
    static Located find(List<Located> all, String overlay, String kind, String name) {
        return all.stream()
                .filter(l -> l.overlay().equals(overlay) && l.kind().equals(kind))
                .filter(l -> l.name().equals(name) || l.name().startsWith(name + "-"))
                .findFirst()
                .orElseThrow(
                        () -> new AssertionError("no " + kind + "/" + name + " in " + overlay));
    }

    /** Objects of a kind. */
    static Stream<Located> ofKind(List<Located> all, String kind) {
        return all.stream().filter(l -> kind.equals(l.object().path("kind").asText()));
    }

    /** An object and the overlay it was rendered from. */
    record Located(String overlay, ObjectNode object) {
        String name() {
            return object.path("metadata").path("name").asText();
        }

        String kind() {
            return object.path("kind").asText();
        }

        @Override
        public String toString() {
            return overlay + ": " + kind() + "/" + name();
        }
    }
}
