package org.tribuo.usae.data;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * What a training run's data are, as one SHA-256: per model, in set order, its name, shape and the
 * content hash the set knows for it ({@link ActivationSetProvenance}: the hash a manifest declares,
 * which {@code usae train} verifies against the bytes unless told not to, or the hash a plain folder
 * computes when it is opened).
 *
 * <p>Two sets with equal fingerprints hold the same activations, so a checkpoint recording the
 * fingerprint can tell the data it was trained on from other data of the same shape. Sets whose
 * provenance carries no content hash (generated streams) are fingerprinted by their provenance text,
 * which names their generator and seed.
 */
public final class DataFingerprint {
    private DataFingerprint() {
    }

    /**
     * @param set the data.
     * @return the hex SHA-256 fingerprint (64 characters).
     */
    public static String of(ActivationSet set) {
        MessageDigest md = Sha256.newDigest();
        StringBuilder text = new StringBuilder();
        boolean hashed = set.provenance() instanceof ActivationSetProvenance;
        if (set.provenance() instanceof ActivationSetProvenance p) {
            for (ModelFileProvenance f : p.models()) {
                hashed &= !f.sha256().isEmpty();
            }
        }
        for (int i = 0; i < set.numModels(); i++) {
            text.append(set.modelNames().get(i)).append(' ').append(set.rows()).append('x').append(set.dim(i)).append('\n');
        }
        if (hashed) {
            for (ModelFileProvenance f : ((ActivationSetProvenance) set.provenance()).models()) {
                text.append(f.model()).append(" sha256 ").append(f.sha256().toLowerCase(java.util.Locale.ROOT)).append('\n');
            }
        } else {
            text.append(set.provenance());
        }
        return HexFormat.of().formatHex(md.digest(text.toString().getBytes(StandardCharsets.UTF_8)));
    }
}
