package org.tribuo.usae.data;

import org.tribuo.Dataset;
import org.tribuo.Example;
import org.tribuo.Feature;
import org.tribuo.VariableInfo;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/** Tribuo interop for small data, and views of a set. */
public final class ActivationSets {
    private ActivationSets() {
    }

    /**
     * Builds an in-memory set from a Tribuo dataset whose features are named {@code <model>:<index>}
     * (split at the last ':', 0-based integer index). Models are sorted by name; a model's width is
     * its largest index seen in the feature map plus one; absent features are 0 because Tribuo
     * examples are sparse. Row r is the dataset's r-th example.
     *
     * @param ds the dataset.
     * @return the set, {@code [ds.size() x width]} per model.
     * @throws ActivationSetException for a feature name without ':' or with a bad index.
     */
    public static InMemoryActivationSet fromDataset(Dataset<?> ds) {
        TreeMap<String, Integer> widths = new TreeMap<>();
        for (VariableInfo info : ds.getFeatureIDMap()) {
            Key k = parse(info.getName());
            widths.merge(k.model, k.index + 1, Math::max);
        }
        if (widths.isEmpty()) {
            throw new ActivationSetException("dataset '" + ds.getSourceDescription()
                    + "' has no features, expected features named <model>:<index>");
        }
        List<String> names = new ArrayList<>(widths.keySet());
        int m = names.size();
        int rows = ds.size();
        int[] dims = new int[m];
        float[][] data = new float[m][];
        for (int i = 0; i < m; i++) {
            dims[i] = widths.get(names.get(i));
            data[i] = new float[Math.multiplyExact(rows, dims[i])];
        }
        int r = 0;
        for (Example<?> ex : ds) {
            for (Feature f : ex) {
                Key k = parse(f.getName());
                int i = names.indexOf(k.model);
                // Examples only hold features of the feature map, so i >= 0 and index < width.
                data[i][r * dims[i] + k.index] = (float) f.getValue();
            }
            r++;
        }
        return new InMemoryActivationSet(names, dims, data);
    }

    /**
     * Opens a set folder in whichever layout it has: sharded ({@code manifest.json} with
     * {@code format_version} 2, see {@link ShardedActivationSet}) or single-file
     * ({@code <model>.npy}, with or without a version-1 manifest, see {@link NpyActivationSet}).
     *
     * @param folder the folder.
     * @return the set.
     * @throws ActivationSetException naming the folder or file and the problem.
     */
    public static ActivationSet open(java.nio.file.Path folder) {
        java.nio.file.Path mf = folder.resolve(Manifest.FILE_NAME);
        if (java.nio.file.Files.isRegularFile(mf) && ShardedManifest.isSharded(mf)) {
            return ShardedActivationSet.open(folder);
        }
        return NpyActivationSet.open(folder);
    }

    /**
     * @param set the full set (stays owned by the caller).
     * @param models the models to keep, in the view's order.
     * @return a view of those models without copying (e.g. one model, to train an independent SAE on).
     * @throws ActivationSetException naming an unknown or repeated model.
     */
    public static ActivationSet select(ActivationSet set, String... models) {
        return new ModelSubsetView(set, List.of(models));
    }

    private record Key(String model, int index) {
    }

    private static Key parse(String name) {
        int c = name.lastIndexOf(':');
        if (c <= 0) {
            throw new ActivationSetException("feature '" + name + "': expected a name of the form <model>:<index>");
        }
        String idx = name.substring(c + 1);
        int index;
        try {
            index = Integer.parseInt(idx);
        } catch (NumberFormatException e) {
            throw new ActivationSetException("feature '" + name + "': index '" + idx + "' is not an integer, expected <model>:<index>");
        }
        if (index < 0) {
            throw new ActivationSetException("feature '" + name + "': index " + index + " is negative, expected a 0-based index");
        }
        return new Key(name.substring(0, c), index);
    }
}
