package org.tribuo.usae.model;

import com.oracle.labs.mlrg.olcut.config.protobuf.protos.RootProvenanceProto;
import com.oracle.labs.mlrg.olcut.config.protobuf.protos.SimpleProvenanceProto;
import com.oracle.labs.mlrg.olcut.provenance.primitives.EnumProvenance;
import com.oracle.labs.mlrg.olcut.provenance.primitives.StringProvenance;
import org.tribuo.protos.core.ModelDataProto;

/**
 * Rewrites provenance that older versions wrote into what today's classes read, before OLCUT parses it (after the
 * file's checksum was checked on the stored bytes).
 *
 * <p>Until recipes became files (commit 948f99c and before), the trainer's {@code recipe} option was the enum
 * {@code org.tribuo.usae.train.Recipe}, recorded as an enum provenance that names the enum class; OLCUT re-creates
 * such a value through that class, which is no longer an enum. Today's trainers record the recipe's name as a
 * string, so the old record becomes the same string.
 */
final class LegacyProvenance {
    /** The class the recipe enum had. */
    static final String RECIPE_ENUM = "org.tribuo.usae.train.Recipe";

    private LegacyProvenance() {
    }

    /** @param metadata Tribuo's model fields as read. @return the same, with legacy provenance records rewritten. */
    static ModelDataProto migrate(ModelDataProto metadata) {
        RootProvenanceProto root = metadata.getProvenance();
        if (root.getSmpList().stream().noneMatch(LegacyProvenance::isRecipeEnum)) {
            return metadata;
        }
        RootProvenanceProto.Builder b = root.toBuilder();
        for (int i = 0; i < b.getSmpCount(); i++) {
            if (isRecipeEnum(b.getSmp(i))) {
                b.setSmp(i, b.getSmp(i).toBuilder().setProvenanceClassName(StringProvenance.class.getName())
                        .clearAdditional().build());
            }
        }
        return metadata.toBuilder().setProvenance(b).build();
    }

    private static boolean isRecipeEnum(SimpleProvenanceProto p) {
        return p.getProvenanceClassName().equals(EnumProvenance.class.getName()) && p.getAdditional().equals(RECIPE_ENUM);
    }
}
