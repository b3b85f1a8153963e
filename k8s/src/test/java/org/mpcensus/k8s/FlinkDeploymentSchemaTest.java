package org.mpcensus.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every {@code FlinkDeployment} and {@code FlinkSessionJob} of every overlay against the
 * CustomResourceDefinitions of Flink Kubernetes Operator 1.15 ({@code
 * shared/data/flink-kubernetes-operator}).
 */
class FlinkDeploymentSchemaTest {
    static CrdSchema deployment;
    static CrdSchema sessionJob;
    static List<Manifests.Located> all;

    @BeforeAll
    static void load() throws Exception {
        deployment =
                CrdSchema.load(
                        Manifests.sharedData(
                                "flink-kubernetes-operator/flinkdeployments.flink.apache.org-v1.yml"));
        sessionJob =
                CrdSchema.load(
                        Manifests.sharedData(
                                "flink-kubernetes-operator/flinksessionjobs.flink.apache.org-v1.yml"));
        all = Manifests.all();
    }

    @Test
    void everyFlinkResourceOfEveryOverlayMatchesTheOperatorsSchema() {
        List<Manifests.Located> flink =
                all.stream()
                        .filter(l -> l.object().path("apiVersion").asText().startsWith("flink."))
                        .toList();
        // Prober, analysis job and session cluster in each of the two overlays.
        assertThat(flink).hasSize(6);
        for (Manifests.Located l : flink) {
            CrdSchema schema = l.kind().equals(deployment.kind()) ? deployment : sessionJob;
            assertThat(schema.kind()).as(l.toString()).isEqualTo(l.kind());
            assertThat(schema.validate(l.object())).as(l.toString()).isEmpty();
            assertThat(
                            StrictModel.validate(
                                    l.object().path("metadata"),
                                    io.fabric8.kubernetes.api.model.ObjectMeta.class))
                    .as(l + " metadata")
                    .isEmpty();
        }
    }

    @Test
    void theSchemaRejectsAnUnknownFieldAWrongTypeAndAnUnsupportedFlinkVersion() {
        ObjectNode prober =
                Manifests.find(all, "local", "FlinkDeployment", PodPolicy.PROBER).object();
        ObjectNode typo = prober.deepCopy();
        ((ObjectNode) typo.path("spec").path("taskManager")).put("replica", 2);
        assertThat(deployment.validate(typo)).anyMatch(m -> m.contains("replica"));

        ObjectNode wrongType = prober.deepCopy();
        ((ObjectNode) wrongType.path("spec").path("job")).put("parallelism", "two");
        assertThat(deployment.validate(wrongType)).anyMatch(m -> m.contains("parallelism"));

        ObjectNode oldFlink = prober.deepCopy();
        ((ObjectNode) oldFlink.path("spec")).put("flinkVersion", "v1_12");
        assertThat(deployment.validate(oldFlink)).anyMatch(m -> m.contains("flinkVersion"));

        ObjectNode podTypo = prober.deepCopy();
        ((ObjectNode) podTypo.path("spec").path("podTemplate").path("spec"))
                .put("hostNetwrk", true);
        assertThat(deployment.validate(podTypo)).anyMatch(m -> m.contains("hostNetwrk"));
    }
}
