package org.tribuo.usae.features;

import org.tribuo.usae.metrics.labels.Pooling;
import org.tribuo.Dataset;
import org.tribuo.Example;
import org.tribuo.Feature;
import org.tribuo.MutableDataset;
import org.tribuo.Output;
import org.tribuo.impl.ArrayExample;
import org.tribuo.usae.model.UsaeModel;
import org.tribuo.usae.sae.SparseCodes;

import java.util.Objects;

/**
 * Encodes Tribuo examples of one network's activations as examples of concept features, the outputs, weights and
 * metadata kept. An example holds either one token, as features {@code <model>:<i>} (the names
 * {@link UsaeModel#featureName} gives), or an input of several tokens, as features {@code <model>:<t>:<i>} for token
 * t; the tokens' codes then pool into one vector ({@link Pooling}). Features of other names are ignored, and an
 * absent feature is 0 (Tribuo's sparse convention). The result has one feature {@code concept:<id>} per active concept,
 * its activation as the value (sparse, as Tribuo stores features).
 */
public final class ConceptEncoder {
    /** The prefix of a concept feature's name. */
    public static final String PREFIX = "concept:";
    /** Inputs longer than this many tokens are not read (a feature name cannot make the encoder allocate without bound). */
    static final int MAX_TOKENS = 1 << 16;

    private final UsaeModel usae;
    private final int model;
    private final String modelName;
    private final Pooling pooling;

    /**
     * @param usae    the USAE.
     * @param model   which of its models produced the examples' activations.
     * @param pooling how an input's tokens pool.
     */
    public ConceptEncoder(UsaeModel usae, String model, Pooling pooling) {
        this.usae = Objects.requireNonNull(usae, "usae");
        this.model = usae.indexOf(model);
        this.modelName = model;
        this.pooling = Objects.requireNonNull(pooling, "pooling");
    }

    /** @param latent a concept id. @return its feature name, {@code concept:<id>}. */
    public static String featureName(int latent) {
        return PREFIX + latent;
    }

    /** @return the USAE. */
    public UsaeModel usae() {
        return usae;
    }

    /** @return the USAE model that reads the examples. */
    public String modelName() {
        return modelName;
    }

    /** @return how tokens pool. */
    public Pooling pooling() {
        return pooling;
    }

    /**
     * @param example an example of the model's activations.
     * @param <T>     the output type.
     * @return a new example of its concept features, with the example's output, weight and metadata.
     * @throws IllegalArgumentException when the example has no feature of the model.
     */
    public <T extends Output<T>> Example<T> encode(Example<T> example) {
        int d = usae.parameters().model(model).dim();
        int m = usae.parameters().architecture().numLatents();
        // first pass: how many tokens (single-token examples have one)
        int tokens = 0;
        boolean any = false;
        for (Feature f : example) {
            int[] pos = position(f.getName(), d);
            if (pos != null) {
                any = true;
                tokens = Math.max(tokens, pos[0] + 1);
            }
        }
        if (!any) {
            throw new IllegalArgumentException("The example has no feature <" + modelName + ">:<index> or <" + modelName
                    + ">:<token>:<index> (index < " + d + "); it is not model '" + modelName + "''s activations");
        }
        float[] raw = new float[tokens * d];
        for (Feature f : example) {
            int[] pos = position(f.getName(), d);
            if (pos != null) {
                raw[pos[0] * d + pos[1]] = (float) f.getValue();
            }
        }
        SparseCodes codes = usae.encode(model, raw, tokens);
        double[] pooled = new double[m];
        for (int t = 0; t < tokens; t++) {
            for (int s = 0; s < codes.k(); s++) {
                float v = codes.values()[t * codes.k() + s];
                int j = codes.indices()[t * codes.k() + s];
                if (v != 0 && j >= 0) {
                    pooled[j] = pooling == Pooling.MAX ? Math.max(pooled[j], v) : pooled[j] + v / tokens;
                }
            }
        }
        int n = 0;
        for (double v : pooled) {
            n += v != 0 ? 1 : 0;
        }
        String[] names = new String[n];
        double[] values = new double[n];
        for (int j = 0, q = 0; j < m; j++) {
            if (pooled[j] != 0) {
                names[q] = featureName(j);
                values[q++] = pooled[j];
            }
        }
        // the bulk constructor sorts once (ArrayExample.add sorts after every feature)
        ArrayExample<T> out = new ArrayExample<>(example.getOutput(), names, values);
        out.setWeight(example.getWeight());
        example.getMetadata().forEach(out::setMetadataValue);
        return out;
    }

    /**
     * @param dataset a dataset of the model's activations.
     * @param <T>     the output type.
     * @return a new dataset of concept features, the outputs kept, whose provenance is a
     *     {@link ConceptFeaturesProvenance} over the dataset's provenance and the USAE's.
     */
    public <T extends Output<T>> MutableDataset<T> encode(Dataset<T> dataset) {
        MutableDataset<T> out = new MutableDataset<>(new ConceptFeaturesProvenance(dataset.getProvenance(),
                usae.getProvenance(), modelName, pooling), dataset.getOutputFactory());
        int i = 0;
        for (Example<T> e : dataset) {
            try {
                out.add(encode(e));
            } catch (IllegalArgumentException ex) {
                throw new IllegalArgumentException("Example #" + i + " of the dataset: " + ex.getMessage(), ex);
            }
            i++;
        }
        return out;
    }

    /** @return {token, index} for a feature of this model, or null. */
    private int[] position(String name, int d) {
        if (!name.startsWith(modelName) || name.length() <= modelName.length() + 1 || name.charAt(modelName.length()) != ':') {
            return null;
        }
        String rest = name.substring(modelName.length() + 1);
        int colon = rest.indexOf(':');
        try {
            int token = colon < 0 ? 0 : Integer.parseInt(rest.substring(0, colon));
            int index = Integer.parseInt(colon < 0 ? rest : rest.substring(colon + 1));
            if (token < 0 || token > MAX_TOKENS || index < 0 || index >= d) {
                return null;
            }
            return new int[]{token, index};
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
