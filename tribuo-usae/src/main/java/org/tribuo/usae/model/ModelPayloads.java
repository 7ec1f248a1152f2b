package org.tribuo.usae.model;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import org.tribuo.protos.core.ModelDataProto;
import org.tribuo.protos.core.ModelProto;
import org.tribuo.usae.protos.CheckedUsaeModelProto;
import org.tribuo.usae.protos.UsaeModelProto;
import org.tribuo.usae.protos.UsaeParametersProto;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The payloads of the {@link UsaeModel} file format versions, and their integrity checks.
 *
 * <ul>
 *   <li>Version 0 ({@code UsaeModelProto}, read only): metadata and parameters as messages, with a
 *       SHA-256 of the re-serialised parameters alone, absent in the oldest files.</li>
 *   <li>Version 1 ({@code CheckedUsaeModelProto}): metadata and parameters as stored bytes, with one
 *       SHA-256 over the outer class name, the outer version, the payload's type URL, the metadata
 *       and the parameters, each length-prefixed; verified on the stored bytes before anything in
 *       them is parsed, so it does not depend on protobuf re-encoding a message byte for byte.</li>
 * </ul>
 *
 * <p>What version 1 detects: any change to the provenance, name, feature or output domain, to a
 * parameter byte or to the checksum itself; a changed type URL; fields added to the payload message;
 * a changed version (version 0 refuses this payload type, unknown versions are refused, and the
 * version is hashed for later ones); a changed class name (one naming no class or another class
 * never reaches this reader: Tribuo finds no class, or that class's reader does not take this
 * payload type; the name is hashed as well, so this reader refuses a file that reaches it under
 * another name, as through one of Tribuo's class-name redirects).
 *
 * <p>What it does not: it is a checksum, not a signature, so whoever rewrites a file with a program
 * that recomputes the SHA-256, or re-encodes it as version 0, makes a file that loads. Version-0 files
 * still load for compatibility, and in them the metadata (provenance included) is not covered at all.
 * Unknown fields added to Tribuo's outer {@code ModelProto} or to the {@code Any} around the payload
 * are ignored by protobuf and not covered; they cannot change what is loaded.
 */
final class ModelPayloads {
    /** The version whose checksum covers only the parameters. */
    static final int PARAMETERS_CHECKSUM_VERSION = 0;
    /** The version whose checksum covers the whole payload. */
    static final int PAYLOAD_CHECKSUM_VERSION = 1;

    /** The refusal of a version-1 file whose bytes do not hash to the stored SHA-256. */
    static final String PAYLOAD_MISMATCH = "corrupt model: the SHA-256 of its payload (provenance and parameters) "
            + "does not match; the file was changed after it was written";
    /** The refusal of a version-0 file whose parameters do not hash to the stored SHA-256. */
    static final String PARAMETERS_MISMATCH = "corrupt model: the SHA-256 of its parameters does not match; "
            + "the file was changed after it was written";

    /** Where protobuf's Any.pack puts message types; stored in the file and hashed as it is there. */
    private static final String TYPE_URL_PREFIX = "type.googleapis.com/";

    private ModelPayloads() {
    }

    /** What a model file holds besides the outer Tribuo fields, whichever version wrote it. */
    record Payload(ModelDataProto metadata, UsaeParametersProto parameters) {
    }

    /**
     * @param className the class name the outer proto will carry (and the reader will be given).
     * @param metadata Tribuo's model fields.
     * @param parameters the parameters.
     * @return a version-1 model proto whose SHA-256 covers all of it.
     */
    static ModelProto writeChecked(String className, ModelDataProto metadata, UsaeParametersProto parameters) {
        ByteString metadataBytes = metadata.toByteString();
        ByteString parameterBytes = parameters.toByteString();
        String typeUrl = TYPE_URL_PREFIX + CheckedUsaeModelProto.getDescriptor().getFullName();
        CheckedUsaeModelProto payload = CheckedUsaeModelProto.newBuilder()
                .setMetadata(metadataBytes)
                .setParameters(parameterBytes)
                .setPayloadSha256(ByteString.copyFrom(payloadSha256(className, PAYLOAD_CHECKSUM_VERSION, typeUrl,
                        metadataBytes, parameterBytes)))
                .build();
        // built by hand rather than with Any.pack so that the hashed type URL is by construction the stored one
        return ModelProto.newBuilder()
                .setVersion(PAYLOAD_CHECKSUM_VERSION)
                .setClassName(className)
                .setSerializedData(Any.newBuilder().setTypeUrl(typeUrl).setValue(payload.toByteString()))
                .build();
    }

    /**
     * Checks and parses a payload.
     * @param version the outer proto's version.
     * @param className the outer proto's class name.
     * @param message the outer proto's payload.
     * @return the metadata and parameters.
     * @throws CorruptModelException when a checksum does not match or the payload is not the version's type.
     * @throws InvalidProtocolBufferException when the checked bytes do not parse.
     * @throws IllegalArgumentException for a version this build does not know.
     */
    static Payload read(int version, String className, Any message) throws InvalidProtocolBufferException {
        return switch (version) {
            case PARAMETERS_CHECKSUM_VERSION -> readParametersChecked(message);
            case PAYLOAD_CHECKSUM_VERSION -> readPayloadChecked(className, message);
            default -> throw new IllegalArgumentException("Unknown UsaeModel version " + version
                    + ", this build reads up to " + PAYLOAD_CHECKSUM_VERSION);
        };
    }

    private static Payload readParametersChecked(Any message) throws InvalidProtocolBufferException {
        UsaeModelProto proto = message.unpack(requireType(message, PARAMETERS_CHECKSUM_VERSION,
                UsaeModelProto.getDescriptor(), UsaeModelProto.class));
        // files written before the checksum existed have none; they load unchecked, as they always did
        if (!proto.getParametersSha256().isEmpty()
                && !MessageDigest.isEqual(proto.getParametersSha256().toByteArray(),
                sha256(proto.getParameters().toByteArray()))) {
            throw new CorruptModelException(PARAMETERS_MISMATCH);
        }
        return new Payload(proto.getMetadata(), proto.getParameters());
    }

    private static Payload readPayloadChecked(String className, Any message) throws InvalidProtocolBufferException {
        CheckedUsaeModelProto proto = message.unpack(requireType(message, PAYLOAD_CHECKSUM_VERSION,
                CheckedUsaeModelProto.getDescriptor(), CheckedUsaeModelProto.class));
        if (!proto.getUnknownFields().asMap().isEmpty()) {
            throw new CorruptModelException("corrupt model: its payload holds fields " + proto.getUnknownFields()
                    .asMap().keySet() + " that the SHA-256 does not cover; the file was changed after it was written");
        }
        byte[] expected = payloadSha256(className, PAYLOAD_CHECKSUM_VERSION, message.getTypeUrl(),
                proto.getMetadata(), proto.getParameters());
        if (!MessageDigest.isEqual(expected, proto.getPayloadSha256().toByteArray())) {
            throw new CorruptModelException(PAYLOAD_MISMATCH);
        }
        return new Payload(ModelDataProto.parseFrom(proto.getMetadata()),
                UsaeParametersProto.parseFrom(proto.getParameters()));
    }

    /** @return the class to unpack, once the Any is known to hold the type this version stores. */
    private static <T extends com.google.protobuf.Message> Class<T> requireType(Any message, int version,
                                                                               Descriptor stored, Class<T> type) {
        if (!message.is(type)) {
            throw new CorruptModelException("corrupt model: format version " + version + " stores a "
                    + stored.getFullName() + " payload, not the '" + message.getTypeUrl() + "' this file holds");
        }
        return type;
    }

    /**
     * The version-1 checksum: SHA-256 over the five items, each as an 8-byte big-endian length and the bytes.
     * @return the 32-byte digest.
     */
    static byte[] payloadSha256(String className, int version, String typeUrl, ByteString metadata,
                                ByteString parameters) {
        MessageDigest digest = newSha256();
        update(digest, ByteString.copyFromUtf8(className));
        update(digest, ByteString.copyFrom(ByteBuffer.allocate(Integer.BYTES).putInt(version).array()));
        update(digest, ByteString.copyFrom(typeUrl, StandardCharsets.UTF_8));
        update(digest, metadata);
        update(digest, parameters);
        return digest.digest();
    }

    private static void update(MessageDigest digest, ByteString item) {
        digest.update(ByteBuffer.allocate(Long.BYTES).putLong(item.size()).array());
        // the ByteString's own buffers, without copying a dictionary-sized array
        for (ByteBuffer part : item.asReadOnlyByteBufferList()) {
            digest.update(part);
        }
    }

    private static byte[] sha256(byte[] bytes) {
        return newSha256().digest(bytes);
    }

    private static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available in this JVM", e);
        }
    }
}
