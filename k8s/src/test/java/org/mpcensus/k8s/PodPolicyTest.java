package org.mpcensus.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The manifests keep {@link PodPolicy}, and the policy catches each kind of breach. */
class PodPolicyTest {
    static List<Manifests.Located> all;

    @BeforeAll
    static void render() throws Exception {
        all = Manifests.all();
    }

    @Test
    void everyOverlayKeepsThePolicy() {
        assertThat(PodPolicy.violations(all)).isEmpty();
    }

    @Test
    void theProberHasNetRawAndNothingElseOnItsVantageNodes() {
        for (Manifests.Located l :
                Manifests.ofKind(all, "FlinkDeployment")
                        .filter(l -> l.name().equals(PodPolicy.PROBER))
                        .toList()) {
            var spec = l.object().path("spec");
            var main = spec.path("podTemplate").path("spec").path("containers").get(0);
            assertThat(main.path("name").asText()).isEqualTo("flink-main-container");
            assertThat(main.path("securityContext").path("capabilities").path("add").toString())
                    .isEqualTo("[\"NET_RAW\"]");
            var tm = spec.path("taskManager").path("podTemplate").path("spec");
            assertThat(tm.path("hostNetwork").asBoolean()).isTrue();
            assertThat(tm.path("nodeSelector").path("mpcensus.org/vantage").asText())
                    .isEqualTo("true");
            assertThat(
                            tm.path("affinity")
                                    .path("podAntiAffinity")
                                    .path("requiredDuringSchedulingIgnoredDuringExecution")
                                    .get(0)
                                    .path("topologyKey")
                                    .asText())
                    .isEqualTo("kubernetes.io/hostname");
            assertThat(
                            spec.path("flinkConfiguration")
                                    .path("taskmanager.numberOfTaskSlots")
                                    .asText())
                    .isEqualTo("1");
        }
    }

    @Test
    void aPrivilegedProberIsCaught() {
        assertThat(
                        breach(
                                "FlinkDeployment",
                                PodPolicy.PROBER,
                                o ->
                                        container(o, "spec/podTemplate/spec")
                                                .with("securityContext")
                                                .put("privileged", true)))
                .anyMatch(v -> v.contains("privileged"));
    }

    @Test
    void aCapabilityBeyondNetRawOrNetRawOutsideTheProberIsCaught() {
        assertThat(breach("FlinkDeployment", PodPolicy.PROBER, o -> addCapability(o, "NET_ADMIN")))
                .anyMatch(v -> v.contains("NET_ADMIN"));
        assertThat(breach("FlinkDeployment", "mpcensus-analysis", o -> addCapability(o, "NET_RAW")))
                .anyMatch(v -> v.contains("NET_RAW"));
    }

    @Test
    void aPodWithoutResourceLimitsIsCaught() {
        assertThat(
                        breach(
                                "Deployment",
                                "mpcensus-grafana",
                                o ->
                                        container(o, "spec/template/spec")
                                                .with("resources")
                                                .remove("limits")))
                .anyMatch(v -> v.contains("limits"));
        assertThat(
                        breach(
                                "FlinkDeployment",
                                PodPolicy.PROBER,
                                o ->
                                        ((ObjectNode) o.path("spec").path("taskManager"))
                                                .remove("resource")))
                .anyMatch(v -> v.contains("taskManager.resource"));
    }

    @Test
    void credentialsInPlainTextAreCaught() {
        assertThat(
                        breach(
                                "StatefulSet",
                                "mpcensus-postgres",
                                o -> {
                                    ArrayNode env =
                                            container(o, "spec/template/spec").withArray("env");
                                    for (var e : env) {
                                        if (e.path("name").asText().equals("POSTGRES_PASSWORD")) {
                                            ((ObjectNode) e).remove("valueFrom");
                                            ((ObjectNode) e).put("value", "hunter2");
                                        }
                                    }
                                }))
                .anyMatch(v -> v.contains("POSTGRES_PASSWORD"));
        assertThat(
                        breach(
                                "FlinkDeployment",
                                "mpcensus-analysis",
                                o ->
                                        ((ObjectNode) o.path("spec").path("flinkConfiguration"))
                                                .put("mpcensus.sink.password", "hunter2")))
                .anyMatch(v -> v.contains("mpcensus.sink.password"));
        assertThat(
                        breach(
                                "FlinkDeployment",
                                "mpcensus-analysis",
                                o ->
                                        ((ObjectNode) o.path("spec").path("flinkConfiguration"))
                                                .put(
                                                        "mpcensus.sink.url",
                                                        "jdbc:postgresql://db:5432/m?user=u&password=hunter2")))
                .anyMatch(v -> v.contains("plain text"));
    }

    /** The violations after changing one object of the local overlay. */
    private static List<String> breach(String kind, String name, Consumer<ObjectNode> change) {
        List<Manifests.Located> copy = new ArrayList<>();
        boolean changed = false;
        for (Manifests.Located l : all) {
            if (!l.overlay().equals("local")) {
                continue;
            }
            ObjectNode o = l.object().deepCopy();
            if (l.kind().equals(kind) && l.name().equals(name)) {
                change.accept(o);
                changed = true;
            }
            copy.add(new Manifests.Located(l.overlay(), o));
        }
        assertThat(changed).as(kind + "/" + name).isTrue();
        return PodPolicy.violations(copy);
    }

    /** Adds a capability to the main container of a FlinkDeployment's shared pod template. */
    private static void addCapability(ObjectNode o, String capability) {
        ((ArrayNode)
                        container(o, "spec/podTemplate/spec")
                                .with("securityContext")
                                .with("capabilities")
                                .withArray("add"))
                .add(capability);
    }

    private static ObjectNode container(ObjectNode o, String podSpecPath) {
        var n = o.at("/" + podSpecPath);
        return (ObjectNode) n.path("containers").get(0);
    }
}
