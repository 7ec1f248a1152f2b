package org.tribuo.usae.sae;

import java.util.List;
import java.util.function.IntUnaryOperator;
import java.util.stream.IntStream;

/** Which models are encoded in a training step. */
public enum SourceSelection {
    /** Official USAE: one model drawn uniformly at random per step. */
    RANDOM_ONE(false),
    /** SPARC: every model is encoded every step. */
    ALL(true);

    // behaviour through a field, not constant bodies: OLCUT records an enum option by its value's class, and a
    // constant with a body is an anonymous subclass that provenance could not read back
    private final boolean everyModel;

    SourceSelection(boolean everyModel) {
        this.everyModel = everyModel;
    }

    /** @return whether every model is a source of every step. */
    public boolean everyModel() {
        return everyModel;
    }

    /**
     * @param numModels the models.
     * @param below     a uniform random integer in {@code [0, n)} for its argument n (the run's source generator;
     *                  called only by rules that draw).
     * @return this step's source models, in increasing order.
     */
    public int[] draw(int numModels, IntUnaryOperator below) {
        return everyModel ? IntStream.range(0, numModels).toArray() : new int[]{below.applyAsInt(numModels)};
    }

    /**
     * @param numModels the models.
     * @return every source set a step can have, equally likely (what FLOP and memory models average or bound).
     */
    public List<int[]> possibleSteps(int numModels) {
        return everyModel ? List.of(IntStream.range(0, numModels).toArray())
                : IntStream.range(0, numModels).mapToObj(i -> new int[]{i}).toList();
    }
}
