package org.mpcensus.k8s;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Strict deserialization into a maintained Kubernetes model: the fabric8 Kubernetes model for core
 * objects and Strimzi's own API model (built on it) for Strimzi's resources. Both models keep a
 * field they do not know in an {@code additionalProperties} map instead of failing, so after
 * reading, every model object of the tree is visited and any such field is an error naming its
 * path.
 */
final class StrictModel {
    private static final ObjectMapper MAPPER =
            new ObjectMapper()
                    .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                    .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

    /** The model class of each apiVersion/kind the manifests use. */
    static final Map<String, Class<?>> MODELS =
            Map.ofEntries(
                    Map.entry("v1/Namespace", io.fabric8.kubernetes.api.model.Namespace.class),
                    Map.entry(
                            "v1/ServiceAccount",
                            io.fabric8.kubernetes.api.model.ServiceAccount.class),
                    Map.entry("v1/ConfigMap", io.fabric8.kubernetes.api.model.ConfigMap.class),
                    Map.entry("v1/Service", io.fabric8.kubernetes.api.model.Service.class),
                    Map.entry("v1/Pod", io.fabric8.kubernetes.api.model.Pod.class),
                    Map.entry(
                            "v1/PersistentVolumeClaim",
                            io.fabric8.kubernetes.api.model.PersistentVolumeClaim.class),
                    Map.entry(
                            "apps/v1/Deployment",
                            io.fabric8.kubernetes.api.model.apps.Deployment.class),
                    Map.entry(
                            "apps/v1/StatefulSet",
                            io.fabric8.kubernetes.api.model.apps.StatefulSet.class),
                    Map.entry("batch/v1/Job", io.fabric8.kubernetes.api.model.batch.v1.Job.class),
                    Map.entry(
                            "rbac.authorization.k8s.io/v1/Role",
                            io.fabric8.kubernetes.api.model.rbac.Role.class),
                    Map.entry(
                            "rbac.authorization.k8s.io/v1/RoleBinding",
                            io.fabric8.kubernetes.api.model.rbac.RoleBinding.class),
                    Map.entry(
                            "kafka.strimzi.io/v1beta2/Kafka",
                            io.strimzi.api.kafka.model.kafka.Kafka.class),
                    Map.entry(
                            "kafka.strimzi.io/v1beta2/KafkaNodePool",
                            io.strimzi.api.kafka.model.nodepool.KafkaNodePool.class),
                    Map.entry(
                            "kafka.strimzi.io/v1beta2/KafkaTopic",
                            io.strimzi.api.kafka.model.topic.KafkaTopic.class));

    private StrictModel() {}

    /** The model class of an object, or null when none is known. */
    static Class<?> modelOf(JsonNode object) {
        return MODELS.get(object.path("apiVersion").asText() + "/" + object.path("kind").asText());
    }

    /** The errors of reading an object strictly into a model class; empty when it is valid. */
    static List<String> validate(JsonNode object, Class<?> model) {
        List<String> errors = new ArrayList<>();
        Object value;
        try {
            value = MAPPER.treeToValue(object, model);
        } catch (Exception e) {
            errors.add(e.getMessage());
            return errors;
        }
        visit(value, model.getSimpleName(), errors);
        return errors;
    }

    private static void visit(Object value, String path, List<String> errors) {
        if (value == null) {
            return;
        }
        if (value instanceof Collection<?> c) {
            int i = 0;
            for (Object item : c) {
                visit(item, path + "[" + i++ + "]", errors);
            }
            return;
        }
        if (value instanceof Map<?, ?> m) {
            m.forEach((k, v) -> visit(v, path + "." + k, errors));
            return;
        }
        String pkg = value.getClass().getPackageName();
        if (!pkg.startsWith("io.fabric8.kubernetes.api.model")
                && !pkg.startsWith("io.strimzi.api")) {
            return;
        }
        for (Method m : value.getClass().getMethods()) {
            if (m.getParameterCount() != 0
                    || Modifier.isStatic(m.getModifiers())
                    || !m.getName().startsWith("get")
                    || m.getDeclaringClass() == Object.class) {
                continue;
            }
            Object child;
            try {
                child = m.invoke(value);
            } catch (ReflectiveOperationException | RuntimeException e) {
                continue;
            }
            if (m.getName().equals("getAdditionalProperties")) {
                if (child instanceof Map<?, ?> extra && !extra.isEmpty()) {
                    errors.add(path + ": unknown field(s) " + extra.keySet());
                }
                continue;
            }
            String field = Character.toLowerCase(m.getName().charAt(3)) + m.getName().substring(4);
            visit(child, path + "." + field, errors);
        }
    }
}
