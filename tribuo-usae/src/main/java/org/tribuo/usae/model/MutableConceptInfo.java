package org.tribuo.usae.model;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import org.tribuo.MutableOutputInfo;
import org.tribuo.usae.protos.ConceptInfoProto;

import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A concept info that records observed codes: each active concept of a code counts once; the
 * unknown (empty) code is counted separately. Its domain is the concepts seen so far.
 */
public final class MutableConceptInfo extends ConceptInfo implements MutableOutputInfo<ConceptActivations> {
    private static final long serialVersionUID = 1L;

    /** Creates an empty info. */
    public MutableConceptInfo() {
        super(new TreeMap<>(), 0, 0);
    }

    /** @param other an info whose counts are copied. */
    MutableConceptInfo(ConceptInfo other) {
        super(other.counts, other.unknownCount, other.totalObservations);
    }

    private MutableConceptInfo(Map<Integer, Long> counts, int unknownCount, long totalObservations) {
        super(counts, unknownCount, totalObservations);
    }

    /**
     * Deserialization factory, found reflectively by Tribuo's ProtoUtil.
     * @param version   the serialized version.
     * @param className the class name.
     * @param message   a ConceptInfoProto.
     * @return the info.
     * @throws InvalidProtocolBufferException if the payload is not a ConceptInfoProto.
     */
    public static MutableConceptInfo deserializeFromProto(int version, String className, Any message)
            throws InvalidProtocolBufferException {
        ConceptInfoProto proto = unpack(version, message);
        if (proto.getNumLatents() != 0) {
            throw new IllegalArgumentException("Invalid ConceptInfoProto for a mutable info: num_latents="
                    + proto.getNumLatents() + ", expected 0");
        }
        return new MutableConceptInfo(countsOf(proto), proto.getUnknownCount(), proto.getTotalObservations());
    }

    @Override
    public void observe(ConceptActivations output) {
        if (output.isUnknown()) {
            unknownCount++;
            return;
        }
        totalObservations++;
        for (int i = 0; i < output.size(); i++) {
            counts.merge(output.id(i), 1L, Long::sum);
        }
    }

    @Override
    public void clear() {
        counts.clear();
        unknownCount = 0;
        totalObservations = 0;
    }

    /** @return the single-concept outputs of every concept seen, by id. */
    @Override
    public Set<ConceptActivations> getDomain() {
        Set<ConceptActivations> domain = new LinkedHashSet<>();
        for (int id : counts.keySet()) {
            domain.add(ConceptActivations.single(id));
        }
        return domain;
    }

    /** @return the number of distinct concepts seen. */
    @Override
    public int size() {
        return counts.size();
    }

    @Override
    int protoNumLatents() {
        return 0;
    }

    @Override
    public MutableConceptInfo copy() {
        return new MutableConceptInfo(this);
    }
}
