package org.tribuo.usae.model;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.UnknownFieldSet;
import com.oracle.labs.mlrg.olcut.provenance.primitives.LongProvenance;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tribuo.Model;
import org.tribuo.impl.ModelDataCarrier;
import org.tribuo.protos.core.ModelDataProto;
import org.tribuo.protos.core.ModelProto;
import org.tribuo.usae.protos.CheckedUsaeModelProto;
import org.tribuo.usae.protos.UsaeModelProto;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Format version 1: one SHA-256 over the whole payload. Every region of a real model file is edited
 * the way a user or a bad disk would, and each edit must be refused with the corrupt-model message.
 */
class UsaeModelIntegrityTest {
    private static UsaeModel model;
    /** The model as Tribuo writes it to model.usae. */
    private static byte[] file;

    @BeforeAll
    static void writeOnce() {
        model = ModelFormatFixtures.trainTiny();
        file = model.serialize().toByteArray();
    }

    private static UsaeModel load(byte[] bytes) throws Exception {
        return (UsaeModel) Model.deserializeFromStream(new ByteArrayInputStream(bytes));
    }

    /** @return the innermost cause of the failed load (Tribuo wraps the model's error in reflection errors). */
    private static Throwable refusal(byte[] bytes) {
        Throwable t = assertThrows(Throwable.class, () -> load(bytes));
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    private static void assertRefusedAsCorrupt(byte[] bytes, String what) {
        Throwable t = refusal(bytes);
        assertTrue(t instanceof CorruptModelException, what + ": " + t);
        assertEquals(ModelPayloads.PAYLOAD_MISMATCH, t.getMessage(), what);
    }

    /** @return where needle occurs in haystack, asserting that it occurs exactly once. */
    static int indexOfOnce(byte[] haystack, byte[] needle) {
        // ISO-8859-1 maps each byte to one char, so string offsets are byte offsets
        String h = new String(haystack, StandardCharsets.ISO_8859_1);
        int at = h.indexOf(new String(needle, StandardCharsets.ISO_8859_1));
        assertTrue(at >= 0 && at == h.lastIndexOf(new String(needle, StandardCharsets.ISO_8859_1)), "not once: " + at);
        return at;
    }

    /**
     * Where the seed's digits are in a model file, found as a hex-editor user finds them: the
     * provenance key "seed" (protobuf field 2, length 4), then the value string (field 3, its length) after it.
     */
    static int seedDigits(byte[] model) {
        byte[] key = {0x12, 0x04, 's', 'e', 'e', 'd', 0x1a};
        return indexOfOnce(model, key) + key.length + 1;
    }

    @Test
    void version1RoundTripsEverythingAndStoresTheCheckedPayload() throws Exception {
        ModelProto proto = ModelProto.parseFrom(file);
        assertEquals(1, UsaeModel.CURRENT_VERSION);
        assertEquals(UsaeModel.CURRENT_VERSION, proto.getVersion());
        assertEquals(UsaeModel.class.getName(), proto.getClassName());
        assertTrue(proto.getSerializedData().is(CheckedUsaeModelProto.class));
        UsaeModel back = load(file);
        assertEquals(model.getName(), back.getName());
        assertEquals(model.getProvenance(), back.getProvenance());
        assertEquals(model.getFeatureIDMap().size(), back.getFeatureIDMap().size());
        assertEquals(ModelFormatFixtures.predictions(model), ModelFormatFixtures.predictions(back));
        for (int i = 0; i < model.modelNames().size(); i++) {
            for (String t : model.parameters().model(i).trainable().keySet()) {
                assertArrayEquals(model.parameters().model(i).get(t), back.parameters().model(i).get(t), 0f, t);
            }
        }
    }

    @Test
    void seedDigitsEditedInTheProvenanceAreRefused() throws Exception {
        byte[] edited = file.clone();
        int at = seedDigits(edited);
        assertEquals("73911", new String(edited, at, 5, StandardCharsets.US_ASCII));
        edited[at + 4] = '2';   // 73911 -> 73912, same length, as with a hex editor
        // without the checksum this would load with seed 73912: the edit is still a well-formed model
        CheckedUsaeModelProto payload = ModelProto.parseFrom(edited).getSerializedData().unpack(CheckedUsaeModelProto.class);
        ModelDataCarrier<?> carrier = ModelDataCarrier.deserialize(ModelDataProto.parseFrom(payload.getMetadata()));
        assertEquals(73912L, ((LongProvenance) carrier.provenance().getTrainerProvenance()
                .getConfiguredParameters().get("seed")).getValue());
        assertRefusedAsCorrupt(edited, "seed edited");
    }

    @Test
    void aFlippedByteInTheMetadataParametersOrChecksumIsRefused() throws Exception {
        CheckedUsaeModelProto payload = ModelProto.parseFrom(file).getSerializedData().unpack(CheckedUsaeModelProto.class);
        ByteString[] regions = {payload.getMetadata(), payload.getParameters(), payload.getPayloadSha256()};
        String[] names = {"metadata", "parameters", "checksum"};
        for (int r = 0; r < regions.length; r++) {
            int start = indexOfOnce(file, regions[r].toByteArray());
            int end = start + regions[r].size();
            for (int at : new int[]{start, (start + end) / 2, end - 1}) {
                for (int bit : new int[]{0, 7}) {
                    byte[] flipped = file.clone();
                    flipped[at] ^= (byte) (1 << bit);
                    assertRefusedAsCorrupt(flipped, names[r] + " byte " + (at - start) + " bit " + bit);
                }
            }
        }
    }

    @Test
    void anEditedClassNameVersionOrTypeUrlDoesNotLoadAsSomethingElse() throws Exception {
        ModelProto proto = ModelProto.parseFrom(file);
        Any payload = proto.getSerializedData();
        // version 1 -> 0: the version-0 reader refuses the version-1 payload type
        Throwable downgraded = refusal(proto.toBuilder().setVersion(0).build().toByteArray());
        assertTrue(downgraded instanceof CorruptModelException && downgraded.getMessage().contains("format version 0"),
                downgraded.toString());
        Throwable future = refusal(proto.toBuilder().setVersion(2).build().toByteArray());
        assertTrue(future.getMessage().contains("Unknown UsaeModel version 2"), future.toString());
        // the type name still resolves, so only the hash can notice an edited type URL prefix
        Any otherPrefix = payload.toBuilder().setTypeUrl(payload.getTypeUrl().replace("googleapis.com", "googleapis.org"))
                .build();
        assertTrue(otherPrefix.is(CheckedUsaeModelProto.class));
        assertRefusedAsCorrupt(proto.toBuilder().setSerializedData(otherPrefix).build().toByteArray(), "type URL");
        // Tribuo passes the class name from the file on to the reader (after any redirect): it is hashed too
        CorruptModelException renamed = assertThrows(CorruptModelException.class,
                () -> UsaeModel.deserializeFromProto(1, "org.tribuo.usae.model.Renamed", payload));
        assertEquals(ModelPayloads.PAYLOAD_MISMATCH, renamed.getMessage());
        // a class name naming another class reaches that class's reader, which does not take this payload
        refusal(proto.toBuilder().setClassName(ImmutableConceptInfo.class.getName()).build().toByteArray());
    }

    @Test
    void fieldsAddedToThePayloadAreRefused() throws Exception {
        ModelProto proto = ModelProto.parseFrom(file);
        CheckedUsaeModelProto payload = proto.getSerializedData().unpack(CheckedUsaeModelProto.class);
        CheckedUsaeModelProto extended = payload.toBuilder().setUnknownFields(UnknownFieldSet.newBuilder()
                .addField(9, UnknownFieldSet.Field.newBuilder().addVarint(73912).build()).build()).build();
        byte[] bytes = proto.toBuilder().setSerializedData(proto.getSerializedData().toBuilder()
                .setValue(extended.toByteString())).build().toByteArray();
        Throwable t = refusal(bytes);
        assertTrue(t instanceof CorruptModelException && t.getMessage().contains("[9]"), t.toString());
    }

    @Test
    void theCheckIsOnTheStoredBytesNotOnAReEncoding() throws Exception {
        ModelProto proto = ModelProto.parseFrom(file);
        String typeUrl = proto.getSerializedData().getTypeUrl();
        CheckedUsaeModelProto payload = proto.getSerializedData().unpack(CheckedUsaeModelProto.class);
        ModelDataProto metadata = ModelDataProto.parseFrom(payload.getMetadata());
        // the same metadata with the name field encoded last: protobuf reads it back the same, but
        // re-serialising the parsed message gives other bytes than the ones stored and hashed
        ByteString reordered = metadata.toBuilder().clearName().build().toByteString()
                .concat(ModelDataProto.newBuilder().setName(metadata.getName()).build().toByteString());
        assertNotEquals(metadata.toByteString(), reordered);
        assertEquals(metadata, ModelDataProto.parseFrom(reordered));
        CheckedUsaeModelProto rewritten = payload.toBuilder().setMetadata(reordered)
                .setPayloadSha256(ByteString.copyFrom(ModelPayloads.payloadSha256(proto.getClassName(), 1, typeUrl,
                        reordered, payload.getParameters()))).build();
        byte[] bytes = proto.toBuilder().setSerializedData(Any.newBuilder().setTypeUrl(typeUrl)
                .setValue(rewritten.toByteString())).build().toByteArray();
        assertEquals(model.getProvenance(), load(bytes).getProvenance());
    }

    @Test
    void version0FixtureStillChecksItsParametersButNotItsProvenance() throws Exception {
        byte[] v0 = ModelFormatFixtures.resource(ModelFormatFixtures.modelFileName(0));
        UsaeModelProto payload = ModelProto.parseFrom(v0).getSerializedData().unpack(UsaeModelProto.class);
        byte[] parameters = payload.getParameters().toByteArray();
        byte[] flipped = v0.clone();
        flipped[indexOfOnce(v0, parameters) + parameters.length / 2] ^= 0x10;
        Throwable t = refusal(flipped);
        assertTrue(t instanceof CorruptModelException, t.toString());
        assertEquals(ModelPayloads.PARAMETERS_MISMATCH, t.getMessage());
        // the documented limit of version 0, which version 1 exists to close: its provenance is unprotected
        byte[] edited = v0.clone();
        edited[seedDigits(edited) + 4] = '2';
        assertEquals(73912L, ((LongProvenance) load(edited).getProvenance().getTrainerProvenance()
                .getConfiguredParameters().get("seed")).getValue());
    }
}
