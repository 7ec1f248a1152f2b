package org.tribuo.usae.model;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import org.tribuo.Output;
import org.tribuo.protos.core.OutputProto;
import org.tribuo.usae.protos.ConceptActivationsProto;
import org.tribuo.usae.sae.SparseCodes;

import java.io.ObjectStreamException;
import java.util.Arrays;

/**
 * The sparse concept code of one token: the active latents (concept ids) of a USAE and their
 * activation values. Immutable.
 *
 * <p>Ids are sorted ascending and distinct; every value is finite and non-zero, so the number of
 * entries is the code's L0. The code with no entries is {@link #UNKNOWN}: unsupervised examples carry
 * it as their output, and a token on which no latent fires is the same value, since both say "no
 * concept".
 */
public final class ConceptActivations implements Output<ConceptActivations> {
    private static final long serialVersionUID = 1L;

    /** Protobuf payload version written by {@link #serialize()}. */
    static final int CURRENT_VERSION = 0;

    /** The empty code: the unknown output of unlabelled data. */
    public static final ConceptActivations UNKNOWN = new ConceptActivations(new int[0], new float[0]);

    private final int[] ids;
    private final float[] values;

    /**
     * @param ids    concept ids, sorted ascending, distinct, non-negative; copied.
     * @param values their activations, finite and non-zero; copied.
     * @throws IllegalArgumentException when the lengths differ or an id or value is invalid.
     */
    public ConceptActivations(int[] ids, float[] values) {
        this(ids.clone(), values.clone(), true);
    }

    /** Takes ownership of the arrays; callers have already copied them. */
    private ConceptActivations(int[] ids, float[] values, boolean validate) {
        if (validate) {
            validate(ids, values);
        }
        this.ids = ids;
        this.values = values;
    }

    private static void validate(int[] ids, float[] values) {
        if (ids.length != values.length) {
            throw new IllegalArgumentException("ConceptActivations needs one value per id, got " + ids.length
                    + " ids and " + values.length + " values");
        }
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] < 0) {
                throw new IllegalArgumentException("Concept ids must be >= 0, got " + ids[i] + " at position " + i);
            }
            if (i > 0 && ids[i] <= ids[i - 1]) {
                throw new IllegalArgumentException("Concept ids must be sorted ascending and distinct, got "
                        + ids[i - 1] + " then " + ids[i] + " at position " + i);
            }
            if (!Float.isFinite(values[i]) || values[i] == 0f) {
                throw new IllegalArgumentException("Concept " + ids[i] + " has value " + values[i]
                        + ", values must be finite and non-zero (drop inactive concepts)");
            }
        }
    }

    /**
     * Builds a code from pairs in any order, sorting them by id.
     * @param ids    concept ids, distinct.
     * @param values their values, finite and non-zero.
     * @return the code ({@link #UNKNOWN} when empty).
     * @throws IllegalArgumentException on duplicate ids or invalid values.
     */
    public static ConceptActivations fromUnsorted(int[] ids, float[] values) {
        if (ids.length != values.length) {
            throw new IllegalArgumentException("ConceptActivations needs one value per id, got " + ids.length
                    + " ids and " + values.length + " values");
        }
        Integer[] order = new Integer[ids.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Integer.compare(ids[a], ids[b]));
        int[] sortedIds = new int[ids.length];
        float[] sortedValues = new float[ids.length];
        for (int i = 0; i < order.length; i++) {
            sortedIds[i] = ids[order[i]];
            sortedValues[i] = values[order[i]];
        }
        return ofOwned(sortedIds, sortedValues);
    }

    /**
     * The code of one row of a block of sparse codes; zero slots (fewer than k active latents) are dropped.
     * @param codes the block.
     * @param row   the row.
     * @return the row's code.
     */
    public static ConceptActivations fromRow(SparseCodes codes, int row) {
        if (row < 0 || row >= codes.rows()) {
            throw new IndexOutOfBoundsException("Row " + row + " of " + codes.rows());
        }
        int k = codes.k();
        int n = 0;
        for (int j = 0; j < k; j++) {
            if (codes.values()[row * k + j] != 0f) {
                n++;
            }
        }
        int[] ids = new int[n];
        float[] values = new float[n];
        int c = 0;
        for (int j = 0; j < k; j++) {
            float v = codes.values()[row * k + j];
            if (v != 0f) {
                ids[c] = codes.indices()[row * k + j];
                values[c++] = v;
            }
        }
        return fromUnsorted(ids, values);
    }

    /**
     * @param id a concept id.
     * @return the code with that concept alone at value 1, the output an output info maps {@code id} to.
     */
    public static ConceptActivations single(int id) {
        return new ConceptActivations(new int[]{id}, new float[]{1f}, true);
    }

    /** Validates arrays the caller will not touch again, mapping empty to the singleton. */
    private static ConceptActivations ofOwned(int[] ids, float[] values) {
        if (ids.length == 0 && values.length == 0) {
            return UNKNOWN;
        }
        return new ConceptActivations(ids, values, true);
    }

    /**
     * Deserialization factory, found reflectively by Tribuo's ProtoUtil.
     * @param version   the serialized version.
     * @param className the class name.
     * @param message   the payload.
     * @return the code.
     * @throws InvalidProtocolBufferException if the payload is not a ConceptActivationsProto.
     */
    public static ConceptActivations deserializeFromProto(int version, String className, Any message)
            throws InvalidProtocolBufferException {
        if (version < 0 || version > CURRENT_VERSION) {
            throw new IllegalArgumentException("Unknown version " + version + ", this class supports at most version "
                    + CURRENT_VERSION);
        }
        ConceptActivationsProto proto = message.unpack(ConceptActivationsProto.class);
        int[] ids = proto.getIdList().stream().mapToInt(Integer::intValue).toArray();
        float[] values = new float[proto.getValueCount()];
        for (int i = 0; i < values.length; i++) {
            values[i] = proto.getValue(i);
        }
        return ofOwned(ids, values);
    }

    @Override
    public OutputProto serialize() {
        ConceptActivationsProto.Builder b = ConceptActivationsProto.newBuilder();
        for (int i = 0; i < ids.length; i++) {
            b.addId(ids[i]).addValue(values[i]);
        }
        return OutputProto.newBuilder().setVersion(CURRENT_VERSION).setClassName(ConceptActivations.class.getName())
                .setSerializedData(Any.pack(b.build())).build();
    }

    /** @return the number of active concepts (the L0 of this code). */
    public int size() { return ids.length; }

    /** @return true for the empty code, {@link #UNKNOWN}. */
    public boolean isUnknown() { return ids.length == 0; }

    /** @param i position. @return the i-th concept id. */
    public int id(int i) { return ids[i]; }

    /** @param i position. @return the i-th value. */
    public float value(int i) { return values[i]; }

    /** @return a copy of the ids. */
    public int[] ids() { return ids.clone(); }

    /** @return a copy of the values. */
    public float[] values() { return values.clone(); }

    /**
     * @param conceptId a concept id.
     * @return its activation, 0 when it is not active.
     */
    public float get(int conceptId) {
        int pos = Arrays.binarySearch(ids, conceptId);
        return pos >= 0 ? values[pos] : 0f;
    }

    @Override
    public ConceptActivations copy() {
        // Immutable: sharing the arrays is safe.
        return isUnknown() ? UNKNOWN : new ConceptActivations(ids, values, false);
    }

    /**
     * @param includeConfidence ignored: the values are the content of a code, not a confidence.
     * @return {@code "id:value,id:value"} in id order, with values printed so they parse back exactly;
     *     the empty string for {@link #UNKNOWN}.
     */
    @Override
    public String getSerializableForm(boolean includeConfidence) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < ids.length; i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append(ids[i]).append(':').append(values[i]);
        }
        return sb.toString();
    }

    /** Same ids and bit-identical values. */
    @Override
    public boolean fullEquals(ConceptActivations other) {
        return equals(other);
    }

    /**
     * @param other     another code.
     * @param tolerance the largest allowed absolute difference per value.
     * @return true when both have the same ids and every value is within tolerance.
     */
    @Override
    public boolean fullEquals(ConceptActivations other, double tolerance) {
        if (!Arrays.equals(ids, other.ids)) {
            return false;
        }
        for (int i = 0; i < values.length; i++) {
            if (Math.abs((double) values[i] - other.values[i]) > tolerance) {
                return false;
            }
        }
        return true;
    }

    /** Equal when ids and values are identical (values compared by bits, as {@link Arrays#equals(float[], float[])}). */
    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        return o instanceof ConceptActivations that && Arrays.equals(ids, that.ids) && Arrays.equals(values, that.values);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(ids) + Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        return isUnknown() ? "ConceptActivations(UNKNOWN)" : "ConceptActivations(" + getSerializableForm(false) + ")";
    }

    /** Re-validates Java-deserialized state and keeps {@link #UNKNOWN} a singleton. */
    private Object readResolve() throws ObjectStreamException {
        if (ids == null || values == null) {
            throw new java.io.InvalidObjectException("ConceptActivations with null arrays");
        }
        try {
            return ofOwned(ids, values);
        } catch (IllegalArgumentException e) {
            java.io.InvalidObjectException ex = new java.io.InvalidObjectException(e.getMessage());
            ex.initCause(e);
            throw ex;
        }
    }
}
