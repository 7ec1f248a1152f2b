package org.tribuo.usae.train;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Which training run a checkpoint belongs to: the data it trains on ({@link
 * org.tribuo.usae.data.DataFingerprint}), the resolved settings (seed included) and the batch draw
 * (training rows, batch size). Resuming continues only a checkpoint of the same identity, and a
 * checkpoint folder holds the checkpoints of one identity at a time, so a reused folder can never
 * hand a run another run's parameters.
 *
 * @param dataFingerprint the data's fingerprint (hex), or "" when unknown (checkpoints of format 1).
 * @param settings        the resolved settings as recorded in checkpoints.
 * @param trainRows       rows the batches are drawn from.
 * @param batchSize       rows per batch.
 */
public record RunIdentity(String dataFingerprint, String settings, long trainRows, int batchSize) {
    /** Hex digits of {@link #id()} shown in messages. */
    private static final int SHORT = 12;

    /** @return the identity as a hex SHA-256 of its parts. */
    public String id() {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            String text = dataFingerprint + "\n" + settings + "\n" + trainRows + "\n" + batchSize;
            return HexFormat.of().formatHex(md.digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is unavailable", e);
        }
    }

    /** @return whether the data are unknown (a checkpoint written before fingerprints were recorded). */
    public boolean dataUnknown() {
        return dataFingerprint.isEmpty();
    }

    /**
     * @param other another identity.
     * @return whether a run of this identity may continue a checkpoint of {@code other}: equal, or
     *     equal but for data that {@code other} did not record.
     */
    public boolean continues(RunIdentity other) {
        return settings.equals(other.settings) && trainRows == other.trainRows && batchSize == other.batchSize
                && (other.dataUnknown() || dataFingerprint.equals(other.dataFingerprint));
    }

    /** @return e.g. "run 3f2a9c1b07de (data 8e1d2c3b4a59, seed 1)", for messages. */
    public String describe() {
        return "run " + id().substring(0, SHORT) + " (data "
                + (dataUnknown() ? "not recorded" : dataFingerprint.substring(0, Math.min(SHORT, dataFingerprint.length())))
                + ", seed " + seed() + ", " + trainRows + " training rows, batch " + batchSize + ")";
    }

    /**
     * @param other another identity.
     * @return what differs, in words (empty when they are equal).
     */
    public List<String> differences(RunIdentity other) {
        List<String> d = new ArrayList<>();
        if (!dataUnknown() && !other.dataUnknown() && !dataFingerprint.equals(other.dataFingerprint)) {
            d.add("the data differ");
        }
        if (!seed().equals(other.seed())) {
            d.add("the seed differs (" + seed() + " vs " + other.seed() + ")");
        } else if (!settings.equals(other.settings)) {
            d.add("the settings differ" + settingDifference(settings, other.settings));
        }
        if (trainRows != other.trainRows || batchSize != other.batchSize) {
            d.add("the batch draw differs (" + batchSize + " of " + trainRows + " rows vs " + other.batchSize + " of "
                    + other.trainRows + ")");
        }
        return d;
    }

    private static final java.util.regex.Pattern FIELD = java.util.regex.Pattern.compile("(\\w+)=([^,\\[\\]]*)");

    /** @return " (name=a vs b)" for the first field whose value differs between two settings texts, or "". */
    private static String settingDifference(String a, String b) {
        java.util.regex.Matcher ma = FIELD.matcher(a);
        java.util.regex.Matcher mb = FIELD.matcher(b);
        while (ma.find() && mb.find()) {
            if (!ma.group(1).equals(mb.group(1))) {
                return "";
            }
            if (!ma.group(2).equals(mb.group(2))) {
                return " (" + ma.group(1) + "=" + ma.group(2) + " vs " + mb.group(2) + ")";
            }
        }
        return "";
    }

    /** The seed as the settings text records it ({@code seed=N}), or "?" when it is not found. */
    private String seed() {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\bseed=(-?\\d+)").matcher(settings);
        return m.find() ? m.group(1) : "?";
    }
}
