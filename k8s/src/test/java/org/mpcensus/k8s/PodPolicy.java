package org.mpcensus.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * mpcensus's rules for what it deploys: no privileged container anywhere; CAP_NET_RAW is the only
 * capability ever added and only the prober gets it; every container has CPU and memory limits (for
 * Flink pods, the operator derives them from {@code jobManager/taskManager.resource}); no
 * credential in plain text (environment values, Flink options, arguments, ConfigMaps, Secret
 * objects in the manifests).
 */
final class PodPolicy {
    /** The one FlinkDeployment whose pods may hold NET_RAW. */
    static final String PROBER = "mpcensus-prober";

    private static final Pattern SECRET_NAME =
            Pattern.compile("(?i).*(password|passwd|secret|token|access[-_]?key|credential).*");
    private static final Pattern INLINE_PASSWORD =
            Pattern.compile("(?i)password['\"]?\\s*[:=]\\s*['\"]?([^'\"\\s,;&)]+)");
    private static final Pattern PLACEHOLDER = Pattern.compile("@[A-Z_]+@|\\$\\{?[A-Z_]+}?");

    private PodPolicy() {}

    /** Every violation in a set of rendered objects, each naming the object and the field. */
    static List<String> violations(List<Manifests.Located> objects) {
        List<String> out = new ArrayList<>();
        for (Manifests.Located l : objects) {
            JsonNode o = l.object();
            switch (l.kind()) {
                case "Deployment", "StatefulSet", "Job" ->
                        pod(
                                l + " pod",
                                o.path("spec").path("template").path("spec"),
                                false,
                                true,
                                out);
                case "FlinkDeployment" -> flink(l, o, out);
                case "Secret" -> {
                    if (o.has("data") || o.has("stringData")) {
                        out.add(l + ": a Secret with values in the manifests");
                    }
                }
                default -> {}
            }
            plainTextPasswords(l.toString(), o, out);
        }
        return out;
    }

    private static void flink(Manifests.Located l, JsonNode o, List<String> out) {
        JsonNode spec = o.path("spec");
        boolean prober = l.name().equals(PROBER);
        for (String role : new String[] {"jobManager", "taskManager"}) {
            JsonNode r = spec.path(role).path("resource");
            if (!r.has("cpu") || !r.has("memory")) {
                out.add(l + ": " + role + ".resource needs cpu and memory (the pods' limits)");
            }
            // The operator merges the role's template over the shared one.
            pod(l + " " + role, spec.path("podTemplate").path("spec"), prober, false, out);
            pod(
                    l + " " + role,
                    spec.path(role).path("podTemplate").path("spec"),
                    prober,
                    false,
                    out);
        }
        spec.path("flinkConfiguration")
                .fieldNames()
                .forEachRemaining(
                        k -> {
                            if (SECRET_NAME.matcher(k).matches()) {
                                out.add(l + ": flinkConfiguration." + k + " holds a credential");
                            }
                        });
    }

    private static void pod(
            String where,
            JsonNode podSpec,
            boolean mayNetRaw,
            boolean needsLimits,
            List<String> out) {
        if (podSpec.path("hostNetwork").asBoolean(false) && !mayNetRaw) {
            out.add(where + ": hostNetwork outside the prober");
        }
        for (String list : new String[] {"containers", "initContainers"}) {
            for (JsonNode c : podSpec.path(list)) {
                String name = where + " container " + c.path("name").asText();
                JsonNode sc = c.path("securityContext");
                if (sc.path("privileged").asBoolean(false)) {
                    out.add(name + ": privileged");
                }
                Set<String> added = new HashSet<>();
                sc.path("capabilities").path("add").forEach(a -> added.add(a.asText()));
                if (!added.isEmpty()) {
                    if (!mayNetRaw || !added.equals(Set.of("NET_RAW"))) {
                        out.add(name + ": adds capabilities " + added);
                    }
                    boolean dropsAll = false;
                    for (JsonNode d : sc.path("capabilities").path("drop")) {
                        dropsAll |= d.asText().equals("ALL");
                    }
                    if (!dropsAll) {
                        out.add(name + ": adds a capability without dropping ALL");
                    }
                }
                boolean flinkMain = c.path("name").asText().equals("flink-main-container");
                JsonNode limits = c.path("resources").path("limits");
                if ((needsLimits || !flinkMain) && (!limits.has("cpu") || !limits.has("memory"))) {
                    out.add(name + ": no cpu and memory limits");
                }
                for (JsonNode e : c.path("env")) {
                    if (SECRET_NAME.matcher(e.path("name").asText()).matches()
                            && (e.has("value") || !e.path("valueFrom").has("secretKeyRef"))) {
                        out.add(name + ": env " + e.path("name").asText() + " not from a Secret");
                    }
                }
            }
        }
    }

    private static void plainTextPasswords(String where, JsonNode node, List<String> out) {
        if (node.isTextual()) {
            Matcher m = INLINE_PASSWORD.matcher(node.asText());
            while (m.find()) {
                if (!PLACEHOLDER.matcher(m.group(1)).matches()) {
                    out.add(where + ": a password in plain text");
                }
            }
        }
        node.elements().forEachRemaining(child -> plainTextPasswords(where, child, out));
    }
}
