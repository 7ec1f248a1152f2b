package org.tribuo.usae.interop;

import java.util.Arrays;
import java.util.stream.Collectors;

/** The dictionary formats {@link DictionaryImport} reads, by the names {@code usae import --from} takes. */
public enum ImportFormat {
    /** The official USAE code's per-model {@code uni_<Model>_checkpoint_<epoch>.pth} (YorkUCVIL/UniversalSAE). */
    OFFICIAL_USAE("official-usae"),
    /** SPARC's {@code MultiStreamSparseAutoencoder} state_dict (AtlasAnalyticsLab/SPARC). */
    SPARC("sparc"),
    /** SAELens folders ({@code cfg.json} + {@code sae_weights.safetensors}), or our own SAELens export. */
    SAELENS("saelens"),
    /** EleutherAI sparsify folders ({@code cfg.json} + {@code sae.safetensors}). */
    SPARSIFY("sparsify");

    private final String id;

    ImportFormat(String id) {
        this.id = id;
    }

    /** @return the name on the command line and in provenance. */
    public String id() {
        return id;
    }

    /**
     * @param id a format name.
     * @return the format.
     * @throws IllegalArgumentException naming the value and the known ones.
     */
    public static ImportFormat of(String id) {
        for (ImportFormat f : values()) {
            if (f.id.equals(id)) {
                return f;
            }
        }
        throw new IllegalArgumentException("--from must be one of "
                + Arrays.stream(values()).map(ImportFormat::id).collect(Collectors.joining(", ")) + ", got '" + id + "'");
    }
}
