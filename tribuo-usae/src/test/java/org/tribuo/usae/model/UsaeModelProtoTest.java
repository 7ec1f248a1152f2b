package org.tribuo.usae.model;

import com.google.protobuf.Descriptors.FieldDescriptor;
import org.junit.jupiter.api.Test;
import org.tribuo.OutputInfo;
import org.tribuo.protos.core.ModelDataProto;
import org.tribuo.usae.protos.UsaeModelProto;
import org.tribuo.usae.sae.Architecture;
import org.tribuo.usae.sae.DictionaryConstraint;
import org.tribuo.usae.sae.EncoderKind;
import org.tribuo.usae.sae.SparsityKind;

import static org.junit.jupiter.api.Assertions.*;

/** The model payload links to Tribuo's own ModelDataProto descriptor and round-trips. */
class UsaeModelProtoTest {

    @Test
    void metadataIsTribuosModelDataProto() {
        FieldDescriptor f = UsaeModelProto.getDescriptor().findFieldByName("metadata");
        assertSame(ModelDataProto.getDescriptor(), f.getMessageType());
        assertEquals("tribuo-core.proto", UsaeModelProto.getDescriptor().getFile().getDependencies().get(0).getName());
    }

    @Test
    void roundTripsMetadataAndParameters() throws Exception {
        Architecture arch = new Architecture(4, 2, EncoderKind.AFFINE, SparsityKind.TOPK, false,
                DictionaryConstraint.ROW_NORMALIZED);
        ImmutableConceptInfo domain = ImmutableConceptInfo.ofLatents(4);
        UsaeModelProto proto = UsaeModelProto.newBuilder()
                .setMetadata(ModelDataProto.newBuilder().setName("usae").setOutputDomain(domain.serialize())
                        .setTribuoVersion("4.3.2"))
                .setParameters(ParameterProtos.toProto(ParameterProtosTest.randomParams(arch, 9, 3, 2)))
                .build();
        UsaeModelProto back = UsaeModelProto.parseFrom(proto.toByteArray());
        assertEquals(proto, back);
        assertEquals(domain, OutputInfo.deserialize(back.getMetadata().getOutputDomain()));
        assertEquals(2, ParameterProtos.fromProto(back.getParameters()).numModels());
    }
}
