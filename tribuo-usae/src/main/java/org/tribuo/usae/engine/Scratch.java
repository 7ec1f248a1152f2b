package org.tribuo.usae.engine;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Named work arrays reused across calls of one engine instance: training steps repeat the same
 * shapes, so after the first step the hot path allocates only its outputs. Arrays are handed out
 * with exactly the requested length (reallocated when it changes) so callers may rely on
 * {@code length}. Not thread-safe, like the engine that owns it.
 */
final class Scratch {
    private final Map<String, float[]> floats = new HashMap<>();
    private final Map<String, int[]> ints = new HashMap<>();
    private final Map<String, double[]> doubles = new HashMap<>();
    private final Map<String, long[]> longs = new HashMap<>();

    /** @return a float array of this length; contents are left over from earlier use. */
    float[] floats(String key, int len) {
        float[] v = floats.get(key);
        if (v == null || v.length != len) {
            v = new float[len];
            floats.put(key, v);
        }
        return v;
    }

    /** @return a zero-filled float array of this length. */
    float[] zeroFloats(String key, int len) {
        float[] v = floats(key, len);
        Arrays.fill(v, 0f);
        return v;
    }

    /** @return an int array of this length; contents are left over. */
    int[] ints(String key, int len) {
        int[] v = ints.get(key);
        if (v == null || v.length != len) {
            v = new int[len];
            ints.put(key, v);
        }
        return v;
    }

    /** @return a zero-filled double array of this length. */
    double[] zeroDoubles(String key, int len) {
        double[] v = doubles.get(key);
        if (v == null || v.length != len) {
            v = new double[len];
            doubles.put(key, v);
        } else {
            Arrays.fill(v, 0);
        }
        return v;
    }

    /** @return a long array of at least this length; contents are left over. */
    long[] longsAtLeast(String key, int len) {
        long[] v = longs.get(key);
        if (v == null || v.length < len) {
            v = new long[len];
            longs.put(key, v);
        }
        return v;
    }
}
