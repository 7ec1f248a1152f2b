package org.tribuo.usae.metrics.labels;

import java.util.Arrays;
import java.util.List;

/** Checks and filters shared by the label metrics. */
final class LabelInputs {
    private LabelInputs() {
    }

    /** Every stream must describe the same inputs, or counts would be compared across different samples. */
    static void requireSameInputs(List<String> names, List<InputCodes> streams) {
        if (streams.isEmpty() || names.size() != streams.size()) {
            throw new IllegalArgumentException("need one name per stream and at least one stream, got " + names.size()
                    + " names and " + streams.size() + " streams");
        }
        long[] ids = streams.get(0).inputIds();
        for (int s = 1; s < streams.size(); s++) {
            if (streams.get(s).numLatents() != streams.get(0).numLatents()) {
                throw new IllegalArgumentException("stream '" + names.get(s) + "' has " + streams.get(s).numLatents()
                        + " latents but '" + names.get(0) + "' has " + streams.get(0).numLatents());
            }
            if (!Arrays.equals(ids, streams.get(s).inputIds())) {
                throw new IllegalArgumentException("stream '" + names.get(s) + "' covers different inputs than '"
                        + names.get(0) + "'");
            }
        }
    }

    /** @return per input position whether it has a label. */
    static boolean[] labelled(InputCodes codes, LabelTable labels) {
        boolean[] keep = new boolean[codes.inputs()];
        for (int r = 0; r < keep.length; r++) {
            keep[r] = labels.isLabelled(codes.inputId(r));
        }
        return keep;
    }
}
