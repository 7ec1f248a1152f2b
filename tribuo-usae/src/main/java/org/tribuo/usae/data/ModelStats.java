package org.tribuo.usae.data;

/**
 * Statistics of one model's activations over all elements ({@code rows * dim} values).
 *
 * @param mean  mean.
 * @param std   unbiased standard deviation (n - 1 denominator).
 * @param min   smallest value.
 * @param max   largest value.
 * @param count number of elements.
 */
public record ModelStats(double mean, double std, double min, double max, long count) {
}
