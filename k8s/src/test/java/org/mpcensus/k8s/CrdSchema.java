package org.mpcensus.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A CustomResourceDefinition's {@code openAPIV3Schema} as a JSON Schema that validates the way
 * {@code kubectl apply --validate=strict} does: a field the schema does not declare is an error
 * unless the schema preserves unknown fields, {@code x-kubernetes-int-or-string} takes either,
 * {@code nullable} admits null. Validation itself is networknt's JSON Schema validator.
 */
final class CrdSchema {
    private final String kind;
    private final List<String> versions;
    private final JsonSchema schema;

    private CrdSchema(String kind, List<String> versions, JsonSchema schema) {
        this.kind = kind;
        this.versions = versions;
        this.schema = schema;
    }

    /** The schema of a CRD file's first served version. */
    static CrdSchema load(Path crdFile) throws IOException {
        JsonNode crd = Manifests.YAML.readTree(crdFile.toFile());
        JsonNode version = crd.path("spec").path("versions").get(0);
        ObjectNode open = version.path("schema").path("openAPIV3Schema").deepCopy();
        // The API server declares these of every object itself; metadata is checked as ObjectMeta.
        ObjectNode properties = open.with("properties");
        properties.putIfAbsent(
                "apiVersion", Manifests.JSON.createObjectNode().put("type", "string"));
        properties.putIfAbsent("kind", Manifests.JSON.createObjectNode().put("type", "string"));
        properties.putIfAbsent("metadata", Manifests.JSON.createObjectNode().put("type", "object"));
        strict(open);
        List<String> versions =
                java.util.stream.StreamSupport.stream(
                                crd.path("spec").path("versions").spliterator(), false)
                        .map(
                                v ->
                                        crd.path("spec").path("group").asText()
                                                + "/"
                                                + v.path("name").asText())
                        .toList();
        JsonSchema s = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4).getSchema(open);
        return new CrdSchema(crd.path("spec").path("names").path("kind").asText(), versions, s);
    }

    String kind() {
        return kind;
    }

    /** The errors of an object, empty when it is valid; its apiVersion must be served. */
    List<String> validate(JsonNode object) {
        java.util.ArrayList<String> errors = new java.util.ArrayList<>();
        if (!versions.contains(object.path("apiVersion").asText())) {
            errors.add("apiVersion " + object.path("apiVersion") + " is not one of " + versions);
        }
        Set<ValidationMessage> messages = schema.validate(object);
        messages.forEach(m -> errors.add(m.getMessage()));
        return errors;
    }

    /** Rewrites a structural schema in place into its strict JSON Schema form. */
    static void strict(ObjectNode s) {
        boolean preserve = s.path("x-kubernetes-preserve-unknown-fields").asBoolean(false);
        if (s.path("x-kubernetes-int-or-string").asBoolean(false)) {
            s.remove("type");
            ArrayNode any = s.putArray("anyOf");
            any.addObject().put("type", "integer");
            any.addObject().put("type", "string");
        }
        if (s.path("nullable").asBoolean(false) && s.has("type")) {
            String type = s.get("type").asText();
            s.putArray("type").add(type).add("null");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = s.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getKey().startsWith("x-kubernetes-") || e.getKey().equals("nullable")) {
                it.remove();
            }
        }
        if (s.has("properties")) {
            s.get("properties").fields().forEachRemaining(p -> strict((ObjectNode) p.getValue()));
            if (!preserve && !s.has("additionalProperties")) {
                s.put("additionalProperties", false);
            }
        }
        if (s.path("items").isObject()) {
            strict((ObjectNode) s.get("items"));
        }
        if (s.path("additionalProperties").isObject()) {
            strict((ObjectNode) s.get("additionalProperties"));
        }
        for (String combinator : new String[] {"anyOf", "allOf", "oneOf"}) {
            if (s.path(combinator).isArray()) {
                s.get(combinator).forEach(c -> strict((ObjectNode) c));
            }
        }
    }
}
