package org.tribuo.usae.model;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.oracle.labs.mlrg.olcut.util.Pair;
import org.tribuo.ImmutableOutputInfo;
import org.tribuo.MutableOutputInfo;
import org.tribuo.OutputInfo;
import org.tribuo.protos.core.OutputDomainProto;
import org.tribuo.usae.protos.ConceptInfoProto;

import java.util.Collections;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The shared state of the concept output infos: how often each concept fired among the observed
 * codes, how many codes were observed, and how many unknown (empty) outputs were seen.
 */
public abstract sealed class ConceptInfo implements OutputInfo<ConceptActivations>
        permits MutableConceptInfo, ImmutableConceptInfo {
    private static final long serialVersionUID = 1L;

    /** Protobuf payload version written by {@link #serialize()}. */
    static final int CURRENT_VERSION = 0;

    /** Firing count per concept id; only concepts that fired are present. Sorted for stable output. */
    protected final TreeMap<Integer, Long> counts;
    /** Observed codes that were the unknown (empty) output. */
    protected int unknownCount;
    /** Observed codes that were not unknown. */
    protected long totalObservations;

    ConceptInfo(Map<Integer, Long> counts, int unknownCount, long totalObservations) {
        if (unknownCount < 0 || totalObservations < 0) {
            throw new IllegalArgumentException("Counts must be >= 0, got unknownCount=" + unknownCount
                    + ", totalObservations=" + totalObservations);
        }
        for (Map.Entry<Integer, Long> e : counts.entrySet()) {
            if (e.getKey() < 0 || e.getValue() < 1) {
                throw new IllegalArgumentException("Concept " + e.getKey() + " has count " + e.getValue()
                        + ", ids must be >= 0 and counts >= 1");
            }
            if (e.getValue() > totalObservations) {
                throw new IllegalArgumentException("Concept " + e.getKey() + " fired " + e.getValue()
                        + " times in only " + totalObservations + " observations");
            }
        }
        this.counts = new TreeMap<>(counts);
        this.unknownCount = unknownCount;
        this.totalObservations = totalObservations;
    }

    /** @return firing count per concept that fired at least once, sorted by id. */
    public SortedMap<Integer, Long> conceptCounts() {
        return Collections.unmodifiableSortedMap(counts);
    }

    /** @param conceptId a concept id. @return how often it fired among observed codes. */
    public long count(int conceptId) {
        return counts.getOrDefault(conceptId, 0L);
    }

    /** @return the number of observed codes that were not unknown. */
    public long observedCodes() {
        return totalObservations;
    }

    /** @return the largest concept id seen plus one (0 when none fired). */
    int observedLatents() {
        return counts.isEmpty() ? 0 : counts.lastKey() + 1;
    }

    /** @return the output domain size written to protobuf (0 for a mutable info). */
    abstract int protoNumLatents();

    @Override
    public int getUnknownCount() {
        return unknownCount;
    }

    @Override
    public ImmutableOutputInfo<ConceptActivations> generateImmutableOutputInfo() {
        return new ImmutableConceptInfo(this);
    }

    @Override
    public MutableOutputInfo<ConceptActivations> generateMutableOutputInfo() {
        return new MutableConceptInfo(this);
    }

    @Override
    public Iterable<Pair<String, Long>> outputCountsIterable() {
        return () -> new Iterator<>() {
            private final Iterator<Map.Entry<Integer, Long>> it = counts.entrySet().iterator();

            @Override
            public boolean hasNext() {
                return it.hasNext();
            }

            @Override
            public Pair<String, Long> next() {
                Map.Entry<Integer, Long> e = it.next();
                return new Pair<>(Integer.toString(e.getKey()), e.getValue());
            }
        };
    }

    @Override
    public String toReadableString() {
        StringBuilder sb = new StringBuilder();
        counts.forEach((id, n) -> sb.append(sb.length() == 0 ? "" : ", ").append('(').append(id).append(',')
                .append(n).append(')'));
        return sb.toString();
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "(observed=" + totalObservations + ", unknown=" + unknownCount
                + ", counts=" + toReadableString() + ")";
    }

    @Override
    public OutputDomainProto serialize() {
        ConceptInfoProto.Builder b = ConceptInfoProto.newBuilder()
                .setUnknownCount(unknownCount)
                .setTotalObservations(totalObservations)
                .setNumLatents(protoNumLatents());
        counts.forEach((id, n) -> b.addId(id).addCount(n));
        return OutputDomainProto.newBuilder().setVersion(CURRENT_VERSION).setClassName(getClass().getName())
                .setSerializedData(Any.pack(b.build())).build();
    }

    /**
     * Unpacks and checks the shared payload of both infos.
     * @param version the serialized version.
     * @param message the payload.
     * @return the proto.
     * @throws InvalidProtocolBufferException if it is not a ConceptInfoProto.
     */
    static ConceptInfoProto unpack(int version, Any message) throws InvalidProtocolBufferException {
        if (version < 0 || version > CURRENT_VERSION) {
            throw new IllegalArgumentException("Unknown version " + version + ", this class supports at most version "
                    + CURRENT_VERSION);
        }
        ConceptInfoProto proto = message.unpack(ConceptInfoProto.class);
        if (proto.getIdCount() != proto.getCountCount()) {
            throw new IllegalArgumentException("Invalid ConceptInfoProto: " + proto.getIdCount() + " ids but "
                    + proto.getCountCount() + " counts");
        }
        return proto;
    }

    /** @param proto a checked payload. @return its counts, rejecting duplicate ids. */
    static Map<Integer, Long> countsOf(ConceptInfoProto proto) {
        Map<Integer, Long> counts = new TreeMap<>();
        for (int i = 0; i < proto.getIdCount(); i++) {
            if (counts.put(proto.getId(i), proto.getCount(i)) != null) {
                throw new IllegalArgumentException("Invalid ConceptInfoProto: two counts for concept " + proto.getId(i));
            }
        }
        return counts;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        return o != null && o.getClass() == getClass() && o instanceof ConceptInfo that
                && counts.equals(that.counts) && unknownCount == that.unknownCount
                && totalObservations == that.totalObservations && protoNumLatents() == that.protoNumLatents();
    }

    @Override
    public int hashCode() {
        return Objects.hash(getClass(), counts, unknownCount, totalObservations, protoNumLatents());
    }
}
