package org.tribuo.usae.model;

import com.oracle.labs.mlrg.olcut.util.Pair;
import org.junit.jupiter.api.Test;
import org.tribuo.ImmutableOutputInfo;
import org.tribuo.OutputInfo;
import org.tribuo.protos.core.OutputDomainProto;
import org.tribuo.usae.protos.ConceptInfoProto;

import com.google.protobuf.Any;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

class ConceptInfoTest {

    private static ConceptActivations code(int... ids) {
        float[] v = new float[ids.length];
        java.util.Arrays.fill(v, 0.5f);
        return new ConceptActivations(ids, v);
    }

    private static MutableConceptInfo observed() {
        MutableConceptInfo info = new MutableConceptInfo();
        info.observe(code(1, 4));
        info.observe(code(4));
        info.observe(code(0, 1, 4));
        info.observe(ConceptActivations.UNKNOWN);
        info.observe(ConceptActivations.UNKNOWN);
        return info;
    }

    @Test
    void mutableCountsFiringsAndUnknownsSeparately() {
        MutableConceptInfo info = observed();
        assertEquals(Map.of(0, 1L, 1, 2L, 4, 3L), info.conceptCounts());
        assertEquals(2, info.getUnknownCount());
        assertEquals(3, info.observedCodes());
        assertEquals(3, info.size());
        assertEquals(Set.of(ConceptActivations.single(0), ConceptActivations.single(1), ConceptActivations.single(4)),
                info.getDomain());
        List<String> counts = new ArrayList<>();
        for (Pair<String, Long> p : info.outputCountsIterable()) {
            counts.add(p.getA() + "=" + p.getB());
        }
        assertEquals(List.of("0=1", "1=2", "4=3"), counts);
        MutableConceptInfo copy = info.copy();
        info.clear();
        assertEquals(0, info.size());
        assertEquals(0, info.getUnknownCount());
        assertEquals(3, copy.size());
    }

    @Test
    void immutableMapsIdsToSingleConceptOutputs() {
        ImmutableOutputInfo<ConceptActivations> info = observed().generateImmutableOutputInfo();
        // Ids are concept ids, so the domain is dense up to the largest id seen (4): 5 latents.
        assertEquals(5, info.size());
        assertEquals(3, info.getTotalObservations());
        for (int j = 0; j < 5; j++) {
            assertEquals(ConceptActivations.single(j), info.getOutput(j));
            assertEquals(j, info.getID(info.getOutput(j)));
        }
        assertNull(info.getOutput(5));
        assertNull(info.getOutput(-1));
        assertEquals(-1, info.getID(code(1, 2)));
        assertEquals(-1, info.getID(ConceptActivations.single(5)));
        assertEquals(-1, info.getID(ConceptActivations.UNKNOWN));
        assertEquals(2, info.getID(new ConceptActivations(new int[]{2}, new float[]{0.7f})));
        int expected = 0;
        for (Pair<Integer, ConceptActivations> p : info) {
            assertEquals(expected, p.getA());
            assertEquals(ConceptActivations.single(expected++), p.getB());
        }
        assertEquals(5, expected);
        assertTrue(info.getDomain().contains(ConceptActivations.single(3)));
        assertFalse(info.getDomain().contains(ConceptActivations.single(5)));
        assertEquals(5, info.getDomain().size());
    }

    @Test
    void ofLatentsCoversAllLatentsWithNothingObserved() {
        ImmutableConceptInfo info = ImmutableConceptInfo.ofLatents(1000);
        assertEquals(1000, info.size());
        assertEquals(1000, info.numLatents());
        assertEquals(0, info.getTotalObservations());
        assertEquals(999, info.getID(ConceptActivations.single(999)));
        assertEquals(ConceptActivations.single(0), info.getOutput(0));
        assertTrue(info.domainAndIDEquals(ImmutableConceptInfo.ofLatents(1000)));
        assertFalse(info.domainAndIDEquals(ImmutableConceptInfo.ofLatents(999)));
        assertThrows(IllegalArgumentException.class, () -> ImmutableConceptInfo.ofLatents(0));
    }

    @Test
    void protobufRoundTripsBothInfos() {
        MutableConceptInfo mutable = observed();
        OutputDomainProto mp = mutable.serialize();
        assertEquals(MutableConceptInfo.class.getName(), mp.getClassName());
        assertEquals(mutable, OutputInfo.deserialize(mp));

        ImmutableOutputInfo<ConceptActivations> frozen = mutable.generateImmutableOutputInfo();
        OutputInfo<?> back = OutputInfo.deserialize(frozen.serialize());
        assertEquals(frozen, back);
        assertEquals(5, ((ImmutableConceptInfo) back).numLatents());

        ImmutableConceptInfo empty = ImmutableConceptInfo.ofLatents(64);
        assertEquals(empty, OutputInfo.deserialize(empty.serialize()));
        assertNotEquals(mutable, frozen);
    }

    @Test
    void corruptInfoProtosAreRejected() {
        ConceptInfoProto ok = ConceptInfoProto.newBuilder().addId(3).addCount(2).setTotalObservations(2).setNumLatents(4).build();
        assertEquals(2, ((ImmutableConceptInfo) OutputInfo.deserialize(wrap(ImmutableConceptInfo.class, ok))).count(3));
        assertCause(wrap(ImmutableConceptInfo.class, ok.toBuilder().setNumLatents(3).build()), "cannot hold concept 3");
        assertCause(wrap(ImmutableConceptInfo.class, ok.toBuilder().setTotalObservations(1).build()), "in only 1 observations");
        assertCause(wrap(ImmutableConceptInfo.class, ok.toBuilder().addId(5).build()), "2 ids but 1 counts");
        assertCause(wrap(MutableConceptInfo.class, ok), "num_latents=4");
    }

    private static OutputDomainProto wrap(Class<?> cls, ConceptInfoProto p) {
        return OutputDomainProto.newBuilder().setClassName(cls.getName()).setSerializedData(Any.pack(p)).build();
    }

    private static void assertCause(OutputDomainProto proto, String fragment) {
        // ProtoUtil wraps the deserializer's exception; the cause carries our message.
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> OutputInfo.deserialize(proto));
        Throwable cause = e.getCause().getCause();
        assertTrue(cause.getMessage().contains(fragment), cause.getMessage());
    }
}
