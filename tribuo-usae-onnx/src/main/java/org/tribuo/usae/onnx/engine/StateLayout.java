package org.tribuo.usae.onnx.engine;

import org.tribuo.usae.sae.ModelParameters;
import org.tribuo.usae.train.AdamW;
import org.tribuo.usae.train.TrainingState;

import java.util.ArrayList;
import java.util.List;

/**
 * The loop-carried training state of one model in the fused graph, in a fixed order: the trainable
 * tensors ({@code [m x d]} encoder weight and dictionary, {@code [m]} the rest), the BatchNorm
 * running statistics {@code [m]}, then each trainable tensor's AdamW first and second moments.
 * Each slot knows its graph names and where its live Java array is in a {@link TrainingState}.
 */
final class StateLayout {
    /** The faithful step's trainable tensors, in {@link ModelParameters#trainable()} order for BATCHNORM. */
    static final List<String> TRAINABLE = List.of(ModelParameters.ENC_WEIGHT, ModelParameters.ENC_BIAS,
            ModelParameters.BN_WEIGHT, ModelParameters.BN_BIAS, ModelParameters.DICTIONARY);
    static final List<String> BUFFERS = List.of(ModelParameters.BN_RUNNING_MEAN, ModelParameters.BN_RUNNING_VAR);

    /** What a slot holds. */
    enum Kind { PARAMETER, FIRST_MOMENT, SECOND_MOMENT }

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

        /** @param state training state. @return the live array this slot reads from and writes back to. */
        float[] array(TrainingState state) {
            return switch (kind) {
                case PARAMETER -> state.params().model(model).get(tensor);
                case FIRST_MOMENT -> optimizer(state).firstMoment();
                case SECOND_MOMENT -> optimizer(state).secondMoment();
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
     * @param model model index.
     * @param dim   its width d.
     * @param m     latents.
     * @return the model's slots in carried order.
     */
    static List<Slot> slots(int model, int dim, int m) {
        List<Slot> out = new ArrayList<>();
        for (String t : TRAINABLE) {
            out.add(new Slot(model, t, Kind.PARAMETER, dims(t, dim, m)));
        }
        for (String t : BUFFERS) {
            out.add(new Slot(model, t, Kind.PARAMETER, dims(t, dim, m)));
        }
        for (String t : TRAINABLE) {
            out.add(new Slot(model, t, Kind.FIRST_MOMENT, dims(t, dim, m)));
            out.add(new Slot(model, t, Kind.SECOND_MOMENT, dims(t, dim, m)));
        }
        return out;
    }

    private static long[] dims(String tensor, int dim, int m) {
        return tensor.equals(ModelParameters.ENC_WEIGHT) || tensor.equals(ModelParameters.DICTIONARY)
                ? new long[]{m, dim} : new long[]{m};
    }
}
