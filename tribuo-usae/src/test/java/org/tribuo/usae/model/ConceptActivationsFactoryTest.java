package org.tribuo.usae.model;

import com.google.protobuf.Any;
import org.junit.jupiter.api.Test;
import org.tribuo.ImmutableOutputInfo;
import org.tribuo.OutputFactory;
import org.tribuo.protos.core.OutputFactoryProto;

import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

class ConceptActivationsFactoryTest {
    private final ConceptActivationsFactory factory = new ConceptActivationsFactory();

    @Test
    void parsesSerializedForm() {
        ConceptActivations c = factory.generateOutput("12:0.53,907:1.2");
        assertEquals(new ConceptActivations(new int[]{12, 907}, new float[]{0.53f, 1.2f}), c);
        // Any order and whitespace are accepted; the result is sorted.
        assertEquals(c, factory.generateOutput(" 907 : 1.2 , 12:0.53 "));
        assertSame(ConceptActivations.UNKNOWN, factory.generateOutput(""));
        assertSame(ConceptActivations.UNKNOWN, factory.getUnknownOutput());
    }

    @Test
    void serializedFormParsesBackExactly() {
        Random rng = new Random(7);
        for (int t = 0; t < 50; t++) {
            int n = 1 + rng.nextInt(8);
            int[] ids = rng.ints(0, 5000).distinct().limit(n).sorted().toArray();
            float[] values = new float[n];
            for (int i = 0; i < n; i++) {
                values[i] = (float) (rng.nextGaussian() * Math.pow(10, rng.nextInt(10) - 5));
            }
            ConceptActivations c = new ConceptActivations(ids, values);
            assertEquals(c, factory.generateOutput(c.getSerializableForm(false)));
        }
    }

    @Test
    void parseErrorsNameTheInput() {
        for (String bad : new String[]{"12", "a:1", "3:x", "3:1,3:2", "2:0"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> factory.generateOutput(bad));
            assertTrue(e.getMessage().contains("'" + bad + "'"), e.getMessage());
        }
    }

    @Test
    void protobufRoundTrip() {
        OutputFactoryProto proto = factory.serialize();
        assertEquals(factory, OutputFactory.deserialize(proto));
        // Tribuo's own stateless factories write no payload; that form is read too.
        OutputFactoryProto bare = OutputFactoryProto.newBuilder().setClassName(ConceptActivationsFactory.class.getName()).build();
        assertEquals(factory, OutputFactory.deserialize(bare));
        OutputFactoryProto wrong = proto.toBuilder().setVersion(1).build();
        assertThrows(IllegalStateException.class, () -> OutputFactory.deserialize(wrong));
        OutputFactoryProto alien = proto.toBuilder().setSerializedData(Any.pack(ConceptActivations.UNKNOWN.serialize())).build();
        assertThrows(IllegalStateException.class, () -> OutputFactory.deserialize(alien));
    }

    @Test
    void basics() {
        assertEquals(ConceptActivations.class, factory.getTypeWitness());
        assertEquals(new ConceptActivationsFactory().hashCode(), factory.hashCode());
        assertEquals(new ConceptActivationsFactory().getProvenance(), factory.getProvenance());
        assertEquals(ConceptActivationsFactory.class.getName(), factory.getProvenance().getClassName());
        assertInstanceOf(MutableConceptInfo.class, factory.generateInfo());
        assertInstanceOf(ConceptEvaluator.class, factory.getEvaluator());
    }

    @Test
    void externalModelInfoUsesConceptIds() {
        ImmutableOutputInfo<ConceptActivations> info = factory.constructInfoForExternalModel(Map.of(
                ConceptActivations.single(0), 0, ConceptActivations.single(1), 1, ConceptActivations.single(2), 2));
        assertEquals(3, info.size());
        assertEquals(2, info.getID(ConceptActivations.single(2)));
        assertThrows(IllegalArgumentException.class, () -> factory.constructInfoForExternalModel(Map.of(
                ConceptActivations.single(0), 1, ConceptActivations.single(1), 0)));
    }
}
