package org.tribuo.usae.interop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.tribuo.usae.sae.Architecture;
import org.tribuo.usae.sae.DictionaryConstraint;
import org.tribuo.usae.sae.EncoderKind;
import org.tribuo.usae.sae.SparsityKind;

import java.util.Arrays;

/** An {@link Architecture} as a JSON object of its record components, and back with every field checked. */
final class ArchitectureJson {
    private ArchitectureJson() {
    }

    static ObjectNode write(ObjectMapper mapper, Architecture arch) {
        ObjectNode node = mapper.createObjectNode();
        node.put("numLatents", arch.numLatents());
        node.put("k", arch.k());
        node.put("encoder", arch.encoder().name());
        node.put("sparsity", arch.sparsity().name());
        node.put("decoderBias", arch.decoderBias());
        node.put("dictionary", arch.dictionary().name());
        node.put("sharedK", arch.sharedK());
        node.put("maxRowSlots", arch.maxRowSlots());
        return node;
    }

    /**
     * @param node  the object.
     * @param where the file, for messages.
     * @return the architecture.
     * @throws IllegalArgumentException naming the file and field at fault.
     */
    static Architecture read(JsonNode node, String where) {
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException(where + ": 'architecture' must be an object");
        }
        try {
            return new Architecture(integer(node, "numLatents", where), integer(node, "k", where),
                    constant(EncoderKind.class, node, "encoder", where), constant(SparsityKind.class, node, "sparsity", where),
                    bool(node, "decoderBias", where), constant(DictionaryConstraint.class, node, "dictionary", where),
                    integer(node, "sharedK", where), integer(node, "maxRowSlots", where));
        } catch (IllegalArgumentException e) {
            if (e.getMessage() != null && e.getMessage().startsWith(where)) {
                throw e;
            }
            throw new IllegalArgumentException(where + ": invalid architecture: " + e.getMessage(), e);
        }
    }

    static int integer(JsonNode node, String field, String where) {
        JsonNode v = node.get(field);
        if (v == null || !v.isIntegralNumber() || !v.canConvertToInt()) {
            throw new IllegalArgumentException(where + ": '" + field + "' must be an integer, got " + v);
        }
        return v.intValue();
    }

    static boolean bool(JsonNode node, String field, String where) {
        JsonNode v = node.get(field);
        if (v == null || !v.isBoolean()) {
            throw new IllegalArgumentException(where + ": '" + field + "' must be true or false, got " + v);
        }
        return v.booleanValue();
    }

    static <E extends Enum<E>> E constant(Class<E> type, JsonNode node, String field, String where) {
        JsonNode v = node.get(field);
        if (v != null && v.isTextual()) {
            for (E e : type.getEnumConstants()) {
                if (e.name().equals(v.textValue())) {
                    return e;
                }
            }
        }
        throw new IllegalArgumentException(where + ": '" + field + "' must be one of "
                + Arrays.toString(type.getEnumConstants()) + ", got " + v);
    }
}
