package org.tribuo.usae.cli;

import org.tribuo.usae.train.StepStats;
import org.tribuo.usae.train.TrainingListener;

import java.io.PrintStream;

/**
 * A one-line progress bar on standard error: steps, loss, L0, learning rate, tokens per second and
 * the time left. Redrawn at most five times a second (on a terminal) or every 5% (in a log).
 */
final class ProgressBar implements TrainingListener {
    private static final int WIDTH = 28;
    private final PrintStream err;
    private final boolean terminal;
    private long lastDraw;
    private long lastPercent = -1;

    ProgressBar(PrintStream err) {
        this.err = err;
        this.terminal = System.console() != null;
    }

    @Override
    public void onStep(StepStats s) {
        long now = System.nanoTime();
        boolean last = s.step() == s.totalSteps();
        long percent = 100 * s.step() / s.totalSteps();
        if (terminal ? (now - lastDraw < 200_000_000L && !last) : (percent / 5 == lastPercent / 5 && !last)) {
            return;
        }
        lastDraw = now;
        lastPercent = percent;
        double seconds = s.elapsedNanos() / 1e9;
        double tokensPerSecond = s.step() * (double) s.rows() / Math.max(seconds, 1e-9);
        double eta = seconds / s.step() * (s.totalSteps() - s.step());
        int filled = (int) (WIDTH * s.step() / s.totalSteps());
        String bar = "=".repeat(filled) + (filled < WIDTH ? ">" + " ".repeat(WIDTH - filled - 1) : "");
        String line = String.format("[%s] %3d%% step %d/%d  loss %.4f  L0 %.1f  lr %.2e  %,.0f tok/s  %s %s",
                bar, percent, s.step(), s.totalSteps(), s.loss(), s.meanL0(), s.learningRate(), tokensPerSecond,
                last ? "took" : "eta", duration(last ? seconds : eta));
        if (terminal) {
            err.print("\r" + line + (last ? "\n" : ""));
        } else {
            err.println(line);
        }
        err.flush();
    }

    static String duration(double seconds) {
        long s = Math.round(seconds);
        return s < 60 ? s + "s" : s < 3600 ? (s / 60) + "m" + (s % 60) + "s" : (s / 3600) + "h" + (s % 3600 / 60) + "m";
    }
}
