package org.tribuo.usae.bench;

/**
 * The official USAE training loop's throughput, as {@code tools/peer/official_loop_bench.py} reports it.
 *
 * @param shape           shape name (of the Java run).
 * @param device          torch device (cpu, cuda).
 * @param threads         torch CPU threads.
 * @param torch           torch version.
 * @param upstreamCommit  commit of the YorkUCVIL/UniversalSAE clone.
 * @param warmupSteps     untimed steps.
 * @param timedSteps      timed steps.
 * @param seconds         wall time of the timed steps.
 * @param msPerStep       milliseconds per timed step.
 * @param tokensPerSecond rows per second.
 * @param peakRssBytes    the Python process's peak RSS.
 */
record PeerResult(String shape, String device, int threads, String torch, String upstreamCommit, long warmupSteps,
                  long timedSteps, double seconds, double msPerStep, double tokensPerSecond, long peakRssBytes) {
}
