package org.tribuo.usae.onnx.extract;

import com.oracle.labs.mlrg.olcut.config.Configurable;

import java.util.List;

/**
 * Where the images of an {@link ImageExtraction} come from ({@link MnistDigits}, {@link ImageFolder}):
 * an OLCUT component that loads a fixed, deterministic list of images (input id = index) with optional
 * per-image labels.
 */
public interface ImageSource extends Configurable {
    /**
     * Loaded images.
     *
     * @param images       the images, input id = index (may decode lazily: a bad file fails when read,
     *                     naming the file).
     * @param labels       per-image label ids ({@code images.size()} long), or null for unlabelled images.
     * @param labelNames   name of each label id (index = id), or null when the ids need no names.
     * @param labelParents the labels' tree as child name to parent name (every label name is a child;
     *                     inner nodes may be names that no image carries), or empty for flat labels.
     * @param alphas       per image its alpha plane, {@code h x w x 1} on 0..1 with the image's size
     *                     (may decode lazily), or null when the source has no alpha (all opaque).
     */
    record Loaded(List<Image> images, long[] labels, List<String> labelNames, java.util.Map<String, String> labelParents,
                  List<Image> alphas) {
        /** Checks the sizes. */
        public Loaded {
            if (labels != null && labels.length != images.size()) {
                throw new IllegalArgumentException(labels.length + " labels for " + images.size() + " images");
            }
            if (labelNames != null) {
                labelNames = List.copyOf(labelNames);
            }
            labelParents = labelParents == null ? java.util.Map.of()
                    : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(labelParents));
            if (!labelParents.isEmpty() && (labelNames == null || !labelParents.keySet().containsAll(labelNames))) {
                throw new IllegalArgumentException("label tree does not place every label name " + labelNames);
            }
            if (alphas != null && alphas.size() != images.size()) {
                throw new IllegalArgumentException(alphas.size() + " alpha planes for " + images.size() + " images");
            }
        }

        /**
         * Flat labels, no alpha.
         *
         * @param images     the images.
         * @param labels     per-image label ids, or null.
         * @param labelNames label names, or null.
         */
        public Loaded(List<Image> images, long[] labels, List<String> labelNames) {
            this(images, labels, labelNames, null, null);
        }
    }

    /**
     * Loads the images; the same configuration and files give the same images in the same order.
     *
     * @return the images with their labels, if any.
     * @throws IllegalArgumentException naming the file or folder when the data is missing or unreadable.
     */
    Loaded load();

    /** @return a one-line description of the source (for messages and provenance). */
    String describe();

    /**
     * The input order both sources use: all {@code n} items in order when {@code count} is 0, else the
     * first {@code count} of a Fisher-Yates shuffle seeded by {@code seed} (same seed, same subset).
     *
     * @param n     items available.
     * @param count items to take (0 = all, must be <= n).
     * @param seed  shuffle seed.
     * @return indices into the items, {@code [count or n]}.
     */
    static int[] subsetOrder(int n, int count, long seed) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        if (count == 0) {
            return order;
        }
        java.util.SplittableRandom rng = new java.util.SplittableRandom(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return java.util.Arrays.copyOf(order, count);
    }
}
