package org.tribuo.usae.model;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.oracle.labs.mlrg.olcut.util.Pair;
import org.tribuo.ImmutableOutputInfo;
import org.tribuo.usae.protos.ConceptInfoProto;

import java.util.AbstractSet;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.TreeMap;

/**
 * The output domain of a USAE model: its m latents. Concept id j (0 &lt;= j &lt; m) maps to and from the
 * single-concept output {@code {j: 1}}; firing counts observed before freezing are kept.
 */
public final class ImmutableConceptInfo extends ConceptInfo implements ImmutableOutputInfo<ConceptActivations> {
    private static final long serialVersionUID = 1L;

    private final int numLatents;

    private ImmutableConceptInfo(Map<Integer, Long> counts, int unknownCount, long totalObservations, int numLatents) {
        super(counts, unknownCount, totalObservations);
        if (numLatents < observedLatents()) {
            throw new IllegalArgumentException("An info with " + numLatents + " latents cannot hold concept "
                    + (observedLatents() - 1));
        }
        this.numLatents = numLatents;
    }

    /**
     * Freezes another info. Ids stay the concept ids, so the domain spans 0 .. (largest id seen), or the
     * other info's latent count when it is immutable.
     * @param other the info to copy.
     */
    ImmutableConceptInfo(ConceptInfo other) {
        this(other.counts, other.unknownCount, other.totalObservations,
                other instanceof ImmutableConceptInfo imm ? imm.numLatents : other.observedLatents());
    }

    /**
     * @param numLatents m, the model's latent count (at least 1).
     * @return the domain of a model with m latents, with nothing observed.
     */
    public static ImmutableConceptInfo ofLatents(int numLatents) {
        if (numLatents < 1) {
            throw new IllegalArgumentException("numLatents must be >= 1, got " + numLatents);
        }
        return new ImmutableConceptInfo(new TreeMap<>(), 0, 0, numLatents);
    }

    /**
     * Deserialization factory, found reflectively by Tribuo's ProtoUtil.
     * @param version   the serialized version.
     * @param className the class name.
     * @param message   a ConceptInfoProto.
     * @return the info.
     * @throws InvalidProtocolBufferException if the payload is not a ConceptInfoProto.
     */
    public static ImmutableConceptInfo deserializeFromProto(int version, String className, Any message)
            throws InvalidProtocolBufferException {
        ConceptInfoProto proto = unpack(version, message);
        return new ImmutableConceptInfo(countsOf(proto), proto.getUnknownCount(), proto.getTotalObservations(),
                proto.getNumLatents());
    }

    /** @return m, the number of latents (the domain size). */
    public int numLatents() {
        return numLatents;
    }

    /**
     * @param output a code.
     * @return its concept id when it has exactly one concept and that is below m, else -1 (as Tribuo does
     *     for outputs outside a domain). The value is ignored: the id names the concept, not its strength.
     */
    @Override
    public int getID(ConceptActivations output) {
        return output.size() == 1 && output.id(0) < numLatents ? output.id(0) : -1;
    }

    /** @param id a concept id. @return {@code {id: 1}}, or null when id is outside [0, m). */
    @Override
    public ConceptActivations getOutput(int id) {
        return id >= 0 && id < numLatents ? ConceptActivations.single(id) : null;
    }

    /** @return the number of observed codes that were not unknown. */
    @Override
    public long getTotalObservations() {
        return totalObservations;
    }

    /** @return the single-concept outputs of all m latents (a view, built on iteration). */
    @Override
    public Set<ConceptActivations> getDomain() {
        // A view rather than m objects: m is often tens of thousands.
        return new AbstractSet<>() {
            @Override
            public Iterator<ConceptActivations> iterator() {
                Iterator<Pair<Integer, ConceptActivations>> it = ImmutableConceptInfo.this.iterator();
                return new Iterator<>() {
                    @Override
                    public boolean hasNext() {
                        return it.hasNext();
                    }

                    @Override
                    public ConceptActivations next() {
                        return it.next().getB();
                    }
                };
            }

            @Override
            public int size() {
                return numLatents;
            }

            @Override
            public boolean contains(Object o) {
                return o instanceof ConceptActivations c && getID(c) >= 0 && c.value(0) == 1f;
            }
        };
    }

    /** @return m. */
    @Override
    public int size() {
        return numLatents;
    }

    @Override
    int protoNumLatents() {
        return numLatents;
    }

    @Override
    public ImmutableConceptInfo copy() {
        return new ImmutableConceptInfo(this);
    }

    /** @return (j, {j: 1}) for j = 0 .. m-1. */
    @Override
    public Iterator<Pair<Integer, ConceptActivations>> iterator() {
        return new Iterator<>() {
            private int next = 0;

            @Override
            public boolean hasNext() {
                return next < numLatents;
            }

            @Override
            public Pair<Integer, ConceptActivations> next() {
                if (next >= numLatents) {
                    throw new NoSuchElementException();
                }
                int id = next++;
                return new Pair<>(id, ConceptActivations.single(id));
            }
        };
    }

    /** Two concept domains agree when they have the same number of latents: ids are the concept ids. */
    @Override
    public boolean domainAndIDEquals(ImmutableOutputInfo<ConceptActivations> other) {
        return other instanceof ImmutableConceptInfo o ? o.numLatents == numLatents
                : ImmutableOutputInfo.super.domainAndIDEquals(other);
    }
}
