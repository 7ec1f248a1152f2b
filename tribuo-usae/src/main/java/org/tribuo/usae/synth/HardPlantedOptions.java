package org.tribuo.usae.synth;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Settings of the hard planted suite ({@link HardPlantedStream}): data built the way SynthSAEBench builds its single
 * model's (Bernoulli firing with Zipf-like rates, a parent/child hierarchy, correlated concepts, magnitudes that vary
 * per concept and per token), across several models of different widths, with concepts exclusive to one model and
 * each model's own mild nonlinearity, anisotropic scales, offset and noise.
 *
 * <p>Shared concepts, in index order: {@code roots} parents, then {@code roots x childrenPerRoot} children (child j of
 * parent r at {@code roots + r childrenPerRoot + j}), then {@code freeShared} concepts outside the hierarchy. A parent
 * or free concept fires with its own rate; a firing parent fires one of its children (mutually exclusive, uniform)
 * with probability {@code childRate}, and a child never fires without its parent. {@code correlatedPairs} pairs of
 * free concepts (a, b) are planted so that b also fires with probability {@code pairRate} whenever a fires. Each
 * model has {@code exclusivePerModel} concepts of its own, firing independently per model.
 *
 * <p>Rates: the parents and free concepts (and, separately, each model's exclusive concepts) are ranked by a
 * permutation of the seed, and rank r fires with probability {@code max(minRate, maxRate (r + 1)^-zipfExponent)}.
 *
 * @param dims              per-model widths d_i.
 * @param names             model names.
 * @param roots             parent concepts.
 * @param childrenPerRoot   children per parent.
 * @param freeShared        shared concepts outside the hierarchy.
 * @param exclusivePerModel concepts of one model only, per model.
 * @param maxRate           firing probability of the most frequent concept.
 * @param minRate           the lowest firing probability of a parent, free or exclusive concept.
 * @param zipfExponent      how fast rates fall with rank.
 * @param childRate         probability that a firing parent fires one of its children.
 * @param correlatedPairs   planted pairs of free concepts.
 * @param pairRate          probability that a pair's second concept fires with its first.
 * @param magnitudeSpread   a firing concept's magnitude is {@code mean exp(magnitudeSpread N(0, 1))}, drawn once per
 *                          token and concept (every model sees the same one).
 * @param scaleChildrenByParent a child's magnitude is also multiplied by its parent's over the parent's mean (as
 *                          SynthSAEBench's {@code scale_children_by_parent}). A strong parent then has a strong child,
 *                          so parent-and-child tokens lie near one ray and the child's own direction is barely
 *                          identifiable; off, the child's magnitude is its own.
 * @param nonlinearity      each model saturates coordinate t as {@code s tanh(x_t / s)}, {@code s = rms / nonlinearity}
 *                          (rms: the linear part's expected coordinate scale; 0 = linear).
 * @param anisotropy        std of the log of each coordinate's own scale (0 = isotropic).
 * @param scaleSpread       model i's activations are multiplied by {@code exp(s_i)}, {@code s_i ~ U(-spread, spread)}.
 * @param offsetNorm        then shifted by its own offset vector of this norm.
 * @param noiseStd          std of the i.i.d. Gaussian noise, relative to the linear part's coordinate rms.
 * @param seed              the data are a pure function of the settings and each row's id.
 */
public record HardPlantedOptions(int[] dims, String[] names, int roots, int childrenPerRoot, int freeShared,
                                 int exclusivePerModel, double maxRate, double minRate, double zipfExponent,
                                 double childRate, int correlatedPairs, double pairRate, double magnitudeSpread,
                                 boolean scaleChildrenByParent, double nonlinearity,
                                 double anisotropy, double scaleSpread, double offsetNorm, double noiseStd, long seed) {
    public HardPlantedOptions {
        if (dims.length == 0 || dims.length != names.length) {
            throw new IllegalArgumentException("need as many names as dims (>= 1), got " + names.length + " and "
                    + dims.length);
        }
        for (int d : dims) {
            if (d < 2) {
                throw new IllegalArgumentException("every width must be >= 2, got " + Arrays.toString(dims));
            }
        }
        if (roots < 0 || childrenPerRoot < 0 || freeShared < 0 || exclusivePerModel < 0 || correlatedPairs < 0) {
            throw new IllegalArgumentException("concept counts must be >= 0");
        }
        if (roots + freeShared < 1) {
            throw new IllegalArgumentException("need at least one parent or free shared concept");
        }
        if (2L * correlatedPairs > freeShared) {
            throw new IllegalArgumentException("correlatedPairs " + correlatedPairs + " need 2 x that many free concepts, "
                    + "got freeShared " + freeShared);
        }
        if (!(maxRate > 0 && maxRate <= 1) || !(minRate > 0 && minRate <= maxRate)) {
            throw new IllegalArgumentException("need 0 < minRate <= maxRate <= 1, got " + minRate + " and " + maxRate);
        }
        if (!(zipfExponent >= 0) || !(childRate >= 0 && childRate <= 1) || !(pairRate >= 0 && pairRate <= 1)) {
            throw new IllegalArgumentException("need zipfExponent >= 0 and childRate, pairRate in [0, 1]");
        }
        if (!(magnitudeSpread >= 0) || !(nonlinearity >= 0) || !(anisotropy >= 0) || !(scaleSpread >= 0) || !(offsetNorm >= 0)
                || !(noiseStd >= 0)) {
            throw new IllegalArgumentException("magnitudeSpread, nonlinearity, anisotropy, scaleSpread, offsetNorm and "
                    + "noiseStd must be >= 0");
        }
        dims = dims.clone();
        names = names.clone();
    }

    /**
     * The hard suite: three models of widths 64, 192 and 320; 1,024 shared concepts (64 parents with 4 mutually
     * exclusive children each, and 704 free concepts holding 64 planted pairs) and 128 exclusive concepts per model;
     * Zipf-like rates from 0.05 (exponent 0.5); a firing parent fires a child with probability 0.5, the child's
     * magnitude its own; magnitudes spread by {@code exp(0.2 N(0, 1))}; a saturation that compresses a coordinate
     * three linear-part rms out by about 15% (nonlinearity 0.25); per-coordinate scales with log-std 0.25; model
     * scales within e^+-1; offsets of norm 2; noise at 0.05 of the coordinate rms. About 3 shared and 1 exclusive
     * concepts fire per token.
     *
     * <p>These settings are a recalibration (docs/recovery.md says why): the first ones, {@link #firstCalibration()},
     * put 2,304 concepts at 11.5 per token into the narrowest model, whose anisotropic scales leave it about 24
     * effective dimensions, too few to tell which concepts a token holds.
     *
     * @return the settings.
     */
    public static HardPlantedOptions hard() {
        return new HardPlantedOptions(new int[]{64, 192, 320}, new String[]{"alpha", "beta", "gamma"}, 64, 4, 704,
                128, 0.05, 5e-4, 0.5, 0.5, 64, 0.5, 0.2, false, 0.25, 0.25, 1.0, 2.0, 0.05, 2026L);
    }

    /**
     * The hard suite's first settings (kept so that its measurements can be repeated, e.g. with {@code --suite-set}):
     * 2,048 shared concepts (128 parents with 4 children each, 1,408 free with 64 pairs), 256 exclusive per model,
     * rates from 0.1, a firing parent fires a child with probability 0.8 and scales its magnitude, per-coordinate
     * scales with log-std 0.5; the rest as {@link #hard()}. About 8 shared and 3 exclusive concepts per token.
     *
     * @return the settings.
     */
    public static HardPlantedOptions firstCalibration() {
        return new HardPlantedOptions(new int[]{64, 192, 320}, new String[]{"alpha", "beta", "gamma"}, 128, 4, 1408,
                256, 0.1, 5e-4, 0.5, 0.8, 64, 0.5, 0.2, true, 0.25, 0.5, 1.0, 2.0, 0.05, 2026L);
    }

    /** @param dims widths (names kept or extended). @return a copy with other widths. */
    public HardPlantedOptions withDims(int[] dims) {
        String[] n = new String[dims.length];
        for (int i = 0; i < dims.length; i++) {
            n[i] = i < names.length ? names[i] : "model" + i;
        }
        return new HardPlantedOptions(dims, n, roots, childrenPerRoot, freeShared, exclusivePerModel, maxRate, minRate,
                zipfExponent, childRate, correlatedPairs, pairRate, magnitudeSpread, scaleChildrenByParent, nonlinearity,
                anisotropy, scaleSpread, offsetNorm, noiseStd, seed);
    }

    /** @param seed a seed. @return a copy with it. */
    public HardPlantedOptions withSeed(long seed) {
        return new HardPlantedOptions(dims, names, roots, childrenPerRoot, freeShared, exclusivePerModel, maxRate,
                minRate, zipfExponent, childRate, correlatedPairs, pairRate, magnitudeSpread, scaleChildrenByParent,
                nonlinearity, anisotropy, scaleSpread, offsetNorm, noiseStd, seed);
    }

    /**
     * Changes settings by name, e.g. {@code anisotropy=0.25}, so a user can make the suite easier or harder without
     * code. Widths and names take comma-separated lists.
     *
     * @param overrides field name (a component of this record) to its value.
     * @return a copy with those fields changed.
     * @throws IllegalArgumentException naming the field and the value when a name is unknown or a value does not parse
     *                                  or is out of range.
     */
    public HardPlantedOptions withOverrides(Map<String, String> overrides) {
        RecordComponent[] parts = HardPlantedOptions.class.getRecordComponents();
        Object[] values = new Object[parts.length];
        Class<?>[] types = new Class<?>[parts.length];
        try {
            for (int i = 0; i < parts.length; i++) {
                values[i] = parts[i].getAccessor().invoke(this);
                types[i] = parts[i].getType();
            }
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("cannot read " + this, e);
        }
        for (Map.Entry<String, String> e : overrides.entrySet()) {
            int i = 0;
            while (i < parts.length && !parts[i].getName().equals(e.getKey())) {
                i++;
            }
            if (i == parts.length) {
                throw new IllegalArgumentException("hard suite setting '" + e.getKey() + "' is unknown; expected one of "
                        + Arrays.stream(parts).map(RecordComponent::getName).collect(Collectors.joining(", ")));
            }
            values[i] = parse(e.getKey(), e.getValue().trim(), types[i]);
        }
        try {
            return HardPlantedOptions.class.getDeclaredConstructor(types).newInstance(values);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof IllegalArgumentException iae) {
                throw new IllegalArgumentException("hard suite settings " + overrides + ": " + iae.getMessage(), iae);
            }
            throw new IllegalStateException(e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Object parse(String field, String value, Class<?> type) {
        try {
            if (type == int.class) {
                return Integer.parseInt(value);
            } else if (type == long.class) {
                return Long.parseLong(value);
            } else if (type == double.class) {
                return Double.parseDouble(value);
            } else if (type == boolean.class) {
                if (!value.equals("true") && !value.equals("false")) {
                    throw new NumberFormatException(value);
                }
                return Boolean.parseBoolean(value);
            } else if (type == int[].class) {
                return Arrays.stream(value.split(",")).map(String::trim).mapToInt(Integer::parseInt).toArray();
            } else {
                return Arrays.stream(value.split(",")).map(String::trim).toArray(String[]::new);
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("hard suite setting " + field + ": '" + value + "' is not a "
                    + (type == int[].class ? "comma-separated list of integers" : type.getSimpleName()));
        }
    }

    /** @return M. */
    public int numModels() {
        return dims.length;
    }

    /** @return every shared concept: parents, children and free ones. */
    public int sharedConcepts() {
        return roots + roots * childrenPerRoot + freeShared;
    }

    /** @return index of the first child. */
    public int firstChild() {
        return roots;
    }

    /** @return index of the first free shared concept. */
    public int firstFree() {
        return roots + roots * childrenPerRoot;
    }

    @Override
    public String toString() {
        return "hard(dims=" + Arrays.toString(dims) + ", names=" + Arrays.toString(names) + ", roots=" + roots
                + ", children=" + childrenPerRoot + ", free=" + freeShared + ", exclusive=" + exclusivePerModel
                + ", rates=[" + minRate + ", " + maxRate + "], zipf=" + zipfExponent + ", childRate=" + childRate
                + ", pairs=" + correlatedPairs + ", pairRate=" + pairRate + ", magnitudeSpread=" + magnitudeSpread
                + ", scaleChildrenByParent=" + scaleChildrenByParent + ", nonlinearity=" + nonlinearity
                + ", anisotropy=" + anisotropy + ", scaleSpread=" + scaleSpread + ", offsetNorm=" + offsetNorm
                + ", noise=" + noiseStd + ", seed=" + seed + ")";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HardPlantedOptions h && toString().equals(h.toString());
    }

    @Override
    public int hashCode() {
        return toString().hashCode();
    }
}
