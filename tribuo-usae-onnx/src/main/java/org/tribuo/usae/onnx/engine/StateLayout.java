package org.tribuo.usae.onnx.engine;

import org.tribuo.usae.sae.Architecture;
import org.tribuo.usae.sae.ModelParameters;
import org.tribuo.usae.train.AdamW;
import org.tribuo.usae.train.TrainingState;

import java.util.ArrayList;
import java.util.List;

/**
 * The loop-carried training state of one model in the fused graph, in a fixed order: the trainable
 * tensors ({@code [m x d]} encoder weight and dictionary, {@code [d]} input bias, {@code [m]} the rest),
 * the BatchNorm running statistics {@code [m]}, each trainable tensor's AdamW first and second
 * moments, and for SPARC's AuxK the dead-latent counters {@code [m]}.
 * Each slot knows its graph names and where its live Java array is in a {@link TrainingState}.
 */
final class StateLayout {
    /** Key of the SPARC dead-latent counters, carried as float {@code [m]} (exact below 2^24 steps). */
    static final String STEPS_SINCE_FIRED = "steps_since_fired";

    /** What a slot holds. */
    enum Kind { PARAMETER, FIRST_MOMENT, SECOND_MOMENT, COUNTERS }

    /**
     * One carried tensor.
     * @param model  model index.
     * @param tensor the parameter's name in {@link ModelParameters}.
     * @param kind   the parameter itself or one of its AdamW moments.
     * @param dims   its shape.
     */
    record Slot(int model, String tensor, Kind kind, long[] dims) {
        /** @return the key used in graph names: the tensor name, with ".exp_avg"/".exp_avg_sq" for moments. */
        String key() {
            return switch (kind) {
                case PARAMETER -> tensor;
                case FIRST_MOMENT -> tensor + ".exp_avg";
                case SECOND_MOMENT -> tensor + ".exp_avg_sq";
                case COUNTERS -> STEPS_SINCE_FIRED;
            };
        }

        /** @return the main graph's input name. */
        String inputName() {
            return "m" + model + "." + key();
        }

        /** @return the main graph's output name (the value after the chunk). */
        String outputName() {
            return "m" + model + "." + key() + ".final";
        }

        /**
         * @param state training state.
         * @return the live array this slot reads from and writes back to; for COUNTERS a float copy
         *     of the long counters (the loop updates those itself from the per-step firing).
         */
        float[] array(TrainingState state) {
            return switch (kind) {
                case PARAMETER -> state.params().model(model).get(tensor);
                case FIRST_MOMENT -> optimizer(state).firstMoment();
                case SECOND_MOMENT -> optimizer(state).secondMoment();
                case COUNTERS -> {
                    long[] c = state.stepsSinceFired()[model];
                    float[] f = new float[c.length];
                    for (int j = 0; j < c.length; j++) {
                        f[j] = (float) Math.min(c[j], 1L << 24);
                    }
                    yield f;
                }
            };
        }

        private AdamW optimizer(TrainingState state) {
            AdamW a = state.optimizer(model).get(tensor);
            if (a == null) {
                throw new IllegalStateException("model " + model + " has no AdamW state for '" + tensor + "'");
            }
            return a;
        }
    }

    private StateLayout() {
    }

    /**
     * @param c     the step's constants.
     * @param model model index.
     * @return the model's slots in carried order: trainable tensors in {@code ModelParameters} order,
     *     buffers, the moments of each trainable tensor, then the dead-latent counters when AuxK needs them.
     */
    static List<Slot> slots(StepSettings c, int model) {
        int dim = c.dims()[model];
        int m = c.numLatents();
        List<String> trainable = trainable(c.architecture());
        List<Slot> out = new ArrayList<>();
        for (String t : trainable) {
            out.add(new Slot(model, t, Kind.PARAMETER, dims(t, dim, m)));
        }
        for (String buffer : c.architecture().encoderBlock().trainingBuffers()) {
            out.add(new Slot(model, buffer, Kind.PARAMETER, new long[]{m}));
        }
        for (String t : trainable) {
            out.add(new Slot(model, t, Kind.FIRST_MOMENT, dims(t, dim, m)));
            out.add(new Slot(model, t, Kind.SECOND_MOMENT, dims(t, dim, m)));
        }
        if (c.objective().auxBlock().keepsDeadCounters()) {
            out.add(new Slot(model, STEPS_SINCE_FIRED, Kind.COUNTERS, new long[]{m}));
        }
        return out;
    }

    /** @return the trainable tensor names, in the order {@code new ModelParameters(name, d, arch)} creates them. */
    static List<String> trainable(Architecture arch) {
        // a model's own order: the layout cannot drift from the tensors the model file and the optimiser hold
        return List.copyOf(new ModelParameters("layout", 1, arch).trainable().keySet());
    }

    private static long[] dims(String tensor, int dim, int m) {
        return switch (tensor) {
            case ModelParameters.ENC_WEIGHT, ModelParameters.DICTIONARY -> new long[]{m, dim};
            case ModelParameters.INPUT_BIAS -> new long[]{dim};
            default -> new long[]{m};
        };
    }
}
