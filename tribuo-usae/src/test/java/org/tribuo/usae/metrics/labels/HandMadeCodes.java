package org.tribuo.usae.metrics.labels;

import java.util.List;

/**
 * A hand-made 3-stream, 4-latent, 5-input example whose metric values the tests work out by hand.
 * Labels: cat(0), dog(1), car(2); tree root -> {animal -> {cat, dog}, vehicle -> {car}}.
 * <pre>
 * input labels:  in0 {cat}  in1 {dog}  in2 {car}  in3 {cat, car}  in4 {} (unlabelled)
 * stream A: latent0 on in0 (1.0), in1 (2.0); latent1 on in2; latent2 on in0; latent3 on in0
 * stream B: latent0 on in0, in3;             latent1 on in2; latent2 never; latent3 on in1
 * stream C: latent1 on in4 only (unlabelled, so it does not count); latent3 on in0, in1
 * </pre>
 */
final class HandMadeCodes {
    static final List<String> NAMES = List.of("cat", "dog", "car");
    static final List<String> STREAMS = List.of("A", "B", "C");
    static final int M = 4;

    private HandMadeCodes() {
    }

    static LabelTable labels() {
        return LabelTable.of(NAMES, new int[][]{{0}, {1}, {2}, {2, 0}, {}});
    }

    static LabelHierarchy tree() {
        return new LabelHierarchy(node("root", node("animal", node("cat"), node("dog")), node("vehicle", node("car"))));
    }

    static LabelHierarchy.Node node(String name, LabelHierarchy.Node... kids) {
        return new LabelHierarchy.Node(name, List.of(kids));
    }

    static List<InputCodes> streams() {
        long[] ids = {0, 1, 2, 3, 4};
        float[] a = new float[5 * M];
        float[] b = new float[5 * M];
        float[] c = new float[5 * M];
        set(a, 0, 0, 1f);
        set(a, 1, 0, 2f);
        set(a, 2, 1, 1f);
        set(a, 0, 2, 1f);
        set(a, 0, 3, 1f);
        set(b, 0, 0, 1f);
        set(b, 3, 0, 1f);
        set(b, 2, 1, 1f);
        set(b, 1, 3, 1f);
        set(c, 4, 1, 1f);
        set(c, 0, 3, 1f);
        set(c, 1, 3, 1f);
        return List.of(InputCodes.fromDense(ids, a, M), InputCodes.fromDense(ids, b, M), InputCodes.fromDense(ids, c, M));
    }

    private static void set(float[] dense, int input, int latent, float v) {
        dense[input * M + latent] = v;
    }
}
