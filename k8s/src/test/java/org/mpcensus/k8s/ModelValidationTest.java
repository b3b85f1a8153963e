package org.mpcensus.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every core and Strimzi object of every overlay, and every pod template of the FlinkDeployments,
 * read strictly into the fabric8 Kubernetes model and Strimzi's API model.
 */
class ModelValidationTest {
    static List<Manifests.Located> all;

    @BeforeAll
    static void render() throws Exception {
        all = Manifests.all();
    }

    @Test
    void everyObjectOfEveryOverlayReadsStrictlyIntoItsModel() {
        int checked = 0;
        for (Manifests.Located l : all) {
            if (l.object().path("apiVersion").asText().startsWith("flink.apache.org/")) {
                continue;
            }
            Class<?> model = StrictModel.modelOf(l.object());
            assertThat(model).as("a model for " + l).isNotNull();
            assertThat(StrictModel.validate(l.object(), model)).as(l.toString()).isEmpty();
            checked++;
        }
        assertThat(checked).isGreaterThan(40);
        // Strimzi's resources were among them, under a version the model serves.
        assertThat(Manifests.ofKind(all, "Kafka"))
                .allMatch(
                        l ->
                                io.strimzi.api.kafka.model.kafka.Kafka.VERSIONS.contains(
                                        l.object().path("apiVersion").asText().split("/")[1]));
        // Per overlay: a topic per census table, the raw replies and the replay's dead letters.
        assertThat(Manifests.ofKind(all, "KafkaTopic"))
                .hasSize(2 * (org.mpcensus.job.schema.CensusSchema.topics().size() + 2));
    }

    @Test
    void everyPodTemplateOfTheFlinkDeploymentsIsAStrictPod() {
        List<Manifests.Located> deployments = Manifests.ofKind(all, "FlinkDeployment").toList();
        int templates = 0;
        for (Manifests.Located l : deployments) {
            for (String at : new String[] {"", "jobManager", "taskManager"}) {
                var spec =
                        at.isEmpty() ? l.object().path("spec") : l.object().path("spec").path(at);
                if (spec.has("podTemplate")) {
                    assertThat(
                                    StrictModel.validate(
                                            spec.get("podTemplate"),
                                            io.fabric8.kubernetes.api.model.Pod.class))
                            .as(l + " " + at + " podTemplate")
                            .isEmpty();
                    templates++;
                }
            }
        }
        assertThat(templates).isGreaterThanOrEqualTo(2 * 4);
    }

    @Test
    void unknownFieldsAndWrongTypesAreRejectedInCoreAndStrimziObjects() {
        ObjectNode gateway =
                Manifests.find(all, "local", "Deployment", "mpcensus-sql-gateway")
                        .object()
                        .deepCopy();
        ((ObjectNode) gateway.path("spec").path("template").path("spec").path("containers").get(0))
                .put("imagePullPolicyy", "Always");
        assertThat(StrictModel.validate(gateway, StrictModel.modelOf(gateway)))
                .anyMatch(e -> e.contains("imagePullPolicyy"));

        ObjectNode kafka =
                Manifests.ofKind(all, "Kafka").findFirst().orElseThrow().object().deepCopy();
        ((ObjectNode) kafka.path("spec").path("kafka")).put("replicas", 3).put("brokerz", 1);
        assertThat(StrictModel.validate(kafka, StrictModel.modelOf(kafka)))
                .anyMatch(e -> e.contains("brokerz"));

        ObjectNode topic =
                Manifests.ofKind(all, "KafkaTopic").findFirst().orElseThrow().object().deepCopy();
        ((ObjectNode) topic.path("spec")).put("partitions", "many");
        assertThat(StrictModel.validate(topic, StrictModel.modelOf(topic))).isNotEmpty();
    }
}
