package org.tribuo.usae.model;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.oracle.labs.mlrg.olcut.provenance.Provenance;
import org.tribuo.ImmutableOutputInfo;
import org.tribuo.MutableOutputInfo;
import org.tribuo.OutputFactory;
import org.tribuo.provenance.OutputFactoryProvenance;
import org.tribuo.protos.core.OutputFactoryProto;
import org.tribuo.usae.protos.ConceptActivationsFactoryProto;

import java.util.Map;

/**
 * Makes {@link ConceptActivations} and their infos and evaluator. Stateless.
 *
 * <p>{@link #generateOutput} parses the serialized form {@code "id:value,id:value"} (any id order;
 * blank means {@link ConceptActivations#UNKNOWN}).
 */
public final class ConceptActivationsFactory implements OutputFactory<ConceptActivations> {
    private static final long serialVersionUID = 1L;

    /** Protobuf payload version written by {@link #serialize()}. */
    static final int CURRENT_VERSION = 0;

    private static final ConceptActivationsFactoryProvenance PROVENANCE = new ConceptActivationsFactoryProvenance();
    private static final ConceptEvaluator EVALUATOR = new ConceptEvaluator();

    /** Public no-argument constructor, as the OLCUT configuration system needs. */
    public ConceptActivationsFactory() {}

    /**
     * Deserialization factory, found reflectively by Tribuo's ProtoUtil.
     * @param version   the serialized version.
     * @param className the class name.
     * @param message   an empty ConceptActivationsFactoryProto (or no payload at all).
     * @return a factory.
     * @throws InvalidProtocolBufferException if a payload is present but is not the expected message.
     */
    public static ConceptActivationsFactory deserializeFromProto(int version, String className, Any message)
            throws InvalidProtocolBufferException {
        if (version < 0 || version > CURRENT_VERSION) {
            throw new IllegalArgumentException("Unknown version " + version + ", this class supports at most version "
                    + CURRENT_VERSION);
        }
        // An absent payload unpacks as the default Any; accept it as Tribuo's stateless factories write none.
        if (!message.getTypeUrl().isEmpty()) {
            message.unpack(ConceptActivationsFactoryProto.class);
        }
        return new ConceptActivationsFactory();
    }

    @Override
    public OutputFactoryProto serialize() {
        return OutputFactoryProto.newBuilder().setVersion(CURRENT_VERSION)
                .setClassName(ConceptActivationsFactory.class.getName())
                .setSerializedData(Any.pack(ConceptActivationsFactoryProto.getDefaultInstance())).build();
    }

    /**
     * Parses {@code label.toString()} as {@code "id:value,id:value"}.
     * @param label the serialized form (or any object whose toString is).
     * @param <V> the label type.
     * @return the code; {@link ConceptActivations#UNKNOWN} for a blank string.
     * @throws IllegalArgumentException naming the input when it does not parse.
     */
    @Override
    public <V> ConceptActivations generateOutput(V label) {
        String s = label.toString().trim();
        if (s.isEmpty()) {
            return ConceptActivations.UNKNOWN;
        }
        String[] parts = s.split(",");
        int[] ids = new int[parts.length];
        float[] values = new float[parts.length];
        try {
            for (int i = 0; i < parts.length; i++) {
                String p = parts[i].trim();
                int colon = p.indexOf(':');
                if (colon < 0) {
                    throw new IllegalArgumentException("entry '" + p + "' is not id:value");
                }
                ids[i] = Integer.parseInt(p.substring(0, colon).trim());
                values[i] = Float.parseFloat(p.substring(colon + 1).trim());
            }
            return ConceptActivations.fromUnsorted(ids, values);
        } catch (IllegalArgumentException e) {
            // NumberFormatException is an IllegalArgumentException too.
            throw new IllegalArgumentException("Cannot parse concept activations '" + s + "': " + e.getMessage(), e);
        }
    }

    @Override
    public ConceptActivations getUnknownOutput() {
        return ConceptActivations.UNKNOWN;
    }

    @Override
    public MutableOutputInfo<ConceptActivations> generateInfo() {
        return new MutableConceptInfo();
    }

    /**
     * Concept ids are the output ids, so the mapping must send each single-concept output {@code {j: v}}
     * to j and cover 0 .. size-1; the result is the domain of a model with {@code mapping.size()} latents.
     * @param mapping the external model's output to id mapping.
     * @return the info.
     */
    @Override
    public ImmutableOutputInfo<ConceptActivations> constructInfoForExternalModel(Map<ConceptActivations, Integer> mapping) {
        OutputFactory.validateMapping(mapping);
        for (Map.Entry<ConceptActivations, Integer> e : mapping.entrySet()) {
            ConceptActivations c = e.getKey();
            if (c.size() != 1 || c.id(0) != e.getValue()) {
                throw new IllegalArgumentException("Concept outputs must map to their own concept id, got " + c
                        + " -> " + e.getValue());
            }
        }
        return ImmutableConceptInfo.ofLatents(mapping.size());
    }

    @Override
    public ConceptEvaluator getEvaluator() {
        return EVALUATOR;
    }

    @Override
    public Class<ConceptActivations> getTypeWitness() {
        return ConceptActivations.class;
    }

    @Override
    public OutputFactoryProvenance getProvenance() {
        return PROVENANCE;
    }

    @Override
    public boolean equals(Object obj) {
        return obj instanceof ConceptActivationsFactory;
    }

    @Override
    public int hashCode() {
        return ConceptActivationsFactory.class.getName().hashCode();
    }

    @Override
    public String toString() {
        return "ConceptActivationsFactory";
    }

    /** Provenance of the (stateless) factory: only its class name. */
    public static final class ConceptActivationsFactoryProvenance implements OutputFactoryProvenance {
        private static final long serialVersionUID = 1L;

        ConceptActivationsFactoryProvenance() {}

        /**
         * Rebuilds the provenance from its marshalled form (used by OLCUT).
         * @param map the marshalled fields, empty.
         */
        public ConceptActivationsFactoryProvenance(Map<String, Provenance> map) {}

        @Override
        public String getClassName() {
            return ConceptActivationsFactory.class.getName();
        }

        @Override
        public String toString() {
            return generateString("OutputFactory");
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof ConceptActivationsFactoryProvenance;
        }

        @Override
        public int hashCode() {
            return ConceptActivationsFactoryProvenance.class.getName().hashCode();
        }
    }
}
