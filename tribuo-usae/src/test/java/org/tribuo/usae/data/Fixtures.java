package org.tribuo.usae.data;

import java.net.URISyntaxException;
import java.nio.file.Path;

/** Locates the numpy-generated fixtures under src/test/resources/npy. */
final class Fixtures {
    private Fixtures() {
    }

    static Path npy(String name) {
        try {
            return Path.of(Fixtures.class.getResource("/npy/" + name).toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("missing fixture " + name, e);
        }
    }

    /** The float32 fixture's values: arange(12) * 0.5 - 1.25, shape (3, 4). */
    static float[] f4Values() {
        float[] v = new float[12];
        for (int i = 0; i < 12; i++) {
            v[i] = i * 0.5f - 1.25f;
        }
        return v;
    }
}
