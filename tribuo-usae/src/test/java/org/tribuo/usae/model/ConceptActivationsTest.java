package org.tribuo.usae.model;

import org.junit.jupiter.api.Test;
import org.tribuo.Output;
import org.tribuo.protos.core.OutputProto;
import org.tribuo.usae.sae.SparseCodes;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;

import static org.junit.jupiter.api.Assertions.*;

class ConceptActivationsTest {

    private static IllegalArgumentException rejects(int[] ids, float[] values) {
        return assertThrows(IllegalArgumentException.class, () -> new ConceptActivations(ids, values));
    }

    @Test
    void rejectsUnsortedDuplicateAndMismatchedInput() {
        assertTrue(rejects(new int[]{5, 3}, new float[]{1f, 2f}).getMessage().contains("sorted ascending"));
        assertTrue(rejects(new int[]{3, 3}, new float[]{1f, 2f}).getMessage().contains("distinct"));
        assertTrue(rejects(new int[]{1, 2}, new float[]{1f}).getMessage().contains("2 ids and 1 values"));
        assertTrue(rejects(new int[]{-1}, new float[]{1f}).getMessage().contains(">= 0"));
        assertTrue(rejects(new int[]{4}, new float[]{0f}).getMessage().contains("non-zero"));
        assertTrue(rejects(new int[]{4}, new float[]{Float.NaN}).getMessage().contains("finite"));
        assertThrows(IllegalArgumentException.class,
                () -> ConceptActivations.fromUnsorted(new int[]{7, 2, 7}, new float[]{1f, 2f, 3f}));
    }

    @Test
    void fromUnsortedSortsPairsTogether() {
        ConceptActivations c = ConceptActivations.fromUnsorted(new int[]{907, 12, 40}, new float[]{1.2f, 0.53f, 2f});
        assertArrayEquals(new int[]{12, 40, 907}, c.ids());
        assertArrayEquals(new float[]{0.53f, 2f, 1.2f}, c.values());
        assertEquals(2f, c.get(40));
        assertEquals(0f, c.get(41));
        assertEquals("12:0.53,40:2.0,907:1.2", c.getSerializableForm(true));
    }

    @Test
    void isImmutableAgainstCallerArrays() {
        int[] ids = {1, 2};
        float[] values = {1f, 2f};
        ConceptActivations c = new ConceptActivations(ids, values);
        ids[0] = 9;
        values[0] = 9f;
        c.ids()[1] = 7;
        assertArrayEquals(new int[]{1, 2}, c.ids());
        assertArrayEquals(new float[]{1f, 2f}, c.values());
    }

    @Test
    void fromRowDropsZeroSlotsAndSorts() {
        SparseCodes codes = new SparseCodes(2, 3, new float[]{0.5f, 0f, 2f, 0f, 0f, 0f}, new int[]{9, 4, 1, 0, 1, 2});
        assertEquals(new ConceptActivations(new int[]{1, 9}, new float[]{2f, 0.5f}), ConceptActivations.fromRow(codes, 0));
        assertSame(ConceptActivations.UNKNOWN, ConceptActivations.fromRow(codes, 1));
    }

    @Test
    void equalityAndTolerance() {
        ConceptActivations a = new ConceptActivations(new int[]{1, 5}, new float[]{0.5f, 1f});
        ConceptActivations b = new ConceptActivations(new int[]{1, 5}, new float[]{0.5f, 1f});
        ConceptActivations c = new ConceptActivations(new int[]{1, 5}, new float[]{0.5f, 1.001f});
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        assertNotEquals(a, c);
        assertTrue(a.fullEquals(c, 1e-2));
        assertFalse(a.fullEquals(c, 1e-4));
        assertFalse(a.fullEquals(new ConceptActivations(new int[]{1, 6}, new float[]{0.5f, 1f}), 1.0));
        assertEquals(a, a.copy());
    }

    @Test
    void protobufRoundTripThroughTribuoDispatch() {
        ConceptActivations c = new ConceptActivations(new int[]{0, 3, 70000}, new float[]{Float.MIN_VALUE, -2.5f, 3.4e38f});
        OutputProto proto = c.serialize();
        assertEquals(ConceptActivations.class.getName(), proto.getClassName());
        Output<?> back = Output.deserialize(proto);
        assertEquals(c, back);
        assertSame(ConceptActivations.UNKNOWN, Output.deserialize(ConceptActivations.UNKNOWN.serialize()));
    }

    @Test
    void javaSerializationKeepsValueAndUnknownSingleton() throws Exception {
        ConceptActivations c = new ConceptActivations(new int[]{2, 8}, new float[]{1.5f, 0.25f});
        assertEquals(c, javaRoundTrip(c));
        assertSame(ConceptActivations.UNKNOWN, javaRoundTrip(ConceptActivations.UNKNOWN));
    }

    private static Object javaRoundTrip(Object o) throws Exception {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bos)) {
            out.writeObject(o);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bos.toByteArray()))) {
            return in.readObject();
        }
    }
}
