package org.tribuo.usae.train;

/**
 * The official {@code CosineScheduler}: a linear warmup {@code linspace(start, base, warmup)}
 * followed by {@code final + (base - final)/2 * (1 + cos(pi * i / (total - warmup)))}; past the end
 * it returns {@code final}. A constant schedule returns {@code base} always (SPARC).
 */
public final class LrSchedule {
    private final double base;
    private final double finalValue;
    private final double start;
    private final long total;
    private final long warmup;
    private final boolean constant;

    private LrSchedule(double base, double finalValue, double start, long total, long warmup, boolean constant) {
        if (!(base > 0) || !(finalValue >= 0) || !(start >= 0)) {
            throw new IllegalArgumentException("Learning rates must be base > 0, final >= 0, start >= 0; got "
                    + base + ", " + finalValue + ", " + start);
        }
        if (total < 1 || warmup < 0 || warmup > total) {
            throw new IllegalArgumentException("Schedule needs total >= 1 and 0 <= warmup <= total; got total="
                    + total + ", warmup=" + warmup);
        }
        this.base = base;
        this.finalValue = finalValue;
        this.start = start;
        this.total = total;
        this.warmup = warmup;
        this.constant = constant;
    }

    /**
     * @param base peak rate after warmup.
     * @param finalValue rate at the end.
     * @param start rate at the first warmup step.
     * @param total schedule length in steps.
     * @param warmup warmup steps.
     * @return the cosine schedule.
     */
    public static LrSchedule cosine(double base, double finalValue, double start, long total, long warmup) {
        return new LrSchedule(base, finalValue, start, total, warmup, false);
    }

    /** @param rate the rate. @return a constant schedule. */
    public static LrSchedule constant(double rate) {
        return new LrSchedule(rate, rate, rate, 1, 0, true);
    }

    /** @param step 0-based step. @return the learning rate at that step. */
    public double at(long step) {
        if (constant) {
            return base;
        }
        if (step >= total) {
            return finalValue;
        }
        if (step < warmup) {
            return warmup == 1 ? start : start + (base - start) * step / (double) (warmup - 1);
        }
        long i = step - warmup;
        return finalValue + 0.5 * (base - finalValue) * (1 + Math.cos(Math.PI * i / (double) (total - warmup)));
    }

    public double base() { return base; }
}
