package org.tribuo.usae.bench;

import org.tribuo.usae.engine.FlopModel;
import org.tribuo.usae.engine.PhaseTimer;

import java.util.Map;

/**
 * One measured (shape, recipe, engine): the timed steps' throughput through the trainer.
 *
 * @param shape           shape name.
 * @param recipe          recipe (FAITHFUL, SPARC).
 * @param engine          engine (CPU, ORT_CPU, ORT_CUDA).
 * @param rowsPerStep     rows (tokens) per step.
 * @param warmupSteps     untimed steps first (for fused engines, up to a chunk boundary).
 * @param timedSteps      timed steps.
 * @param chunkSteps      steps per ONNX Runtime call (0 for per-step engines).
 * @param seconds         wall time of the timed steps.
 * @param msPerStep       milliseconds per timed step.
 * @param tokensPerSecond rows per second over the timed steps.
 * @param peakRssBytes    peak RSS of the process during this cell (-1 when unknown).
 * @param peakRssIsCellOwn true when the peak was reset before the cell (else it is the process's peak so far).
 * @param finalLoss       loss of the last step (a sanity check: finite).
 * @param flops           the FLOPs the recipe's step must do ({@link FlopModel#expected}), engine-independent.
 * @param phaseMsPerStep  milliseconds per timed step in each {@link PhaseTimer.Phase} plus "OTHER" (the rest of the
 *                        step: batch assembly, listeners); empty for engines without phase timers (all but cpu).
 */
record ThroughputCell(String shape, String recipe, String engine, int rowsPerStep, long warmupSteps, long timedSteps,
                      int chunkSteps, double seconds, double msPerStep, double tokensPerSecond, long peakRssBytes,
                      boolean peakRssIsCellOwn, double finalLoss, FlopModel.StepFlops flops,
                      Map<String, Double> phaseMsPerStep) {
}
