package org.tribuo.usae.onnx.tfjs;

/**
 * Plain-Java TensorFlow semantics on row-major NHWC float arrays (computed in double), the expected values of the
 * converter tests. Written from TF's definitions, independently of the converter: SAME padding puts the odd pixel
 * at the bottom/right, average pools divide by the number of real (unpadded) pixels, max pools ignore padding.
 */
final class NhwcReference {
    private NhwcReference() {
    }

    /** A tensor [N x H x W x C]. */
    record T(float[] v, int n, int h, int w, int c) {
        float at(int i, int y, int x, int ch) {
            return v[((i * h + y) * w + x) * c + ch];
        }

        long[] shape() {
            return new long[]{n, h, w, c};
        }
    }

    static T random(int n, int h, int w, int c, long seed) {
        java.util.Random r = new java.util.Random(seed);
        float[] v = new float[n * h * w * c];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (r.nextGaussian());
        }
        return new T(v, n, h, w, c);
    }

    static float[] random(int size, long seed) {
        return random(1, 1, 1, size, seed).v();
    }

    /** (out, padBefore) of one axis. */
    static int[] same(int in, int k, int s, int d, boolean same) {
        int eff = (k - 1) * d + 1;
        if (!same) {
            return new int[]{(in - eff) / s + 1, 0};
        }
        int out = (in + s - 1) / s;
        int total = Math.max((out - 1) * s + eff - in, 0);
        return new int[]{out, total / 2};
    }

    /**
     * Convolution; {@code k} is HWIO [kh x kw x C x O], or with {@code depthwise} [kh x kw x C x M] giving
     * channel {@code c*M + m}.
     */
    static T conv(T x, float[] k, int kh, int kw, int o, int s, int d, boolean same, boolean depthwise, float[] bias) {
        int[] ph = same(x.h(), kh, s, d, same), pw = same(x.w(), kw, s, d, same);
        int outC = depthwise ? x.c() * o : o;
        float[] y = new float[x.n() * ph[0] * pw[0] * outC];
        for (int i = 0; i < x.n(); i++) {
            for (int oy = 0; oy < ph[0]; oy++) {
                for (int ox = 0; ox < pw[0]; ox++) {
                    for (int co = 0; co < outC; co++) {
                        double acc = bias == null ? 0 : bias[co];
                        for (int ky = 0; ky < kh; ky++) {
                            for (int kx = 0; kx < kw; kx++) {
                                int iy = oy * s + ky * d - ph[1], ix = ox * s + kx * d - pw[1];
                                if (iy < 0 || ix < 0 || iy >= x.h() || ix >= x.w()) {
                                    continue;
                                }
                                if (depthwise) {
                                    int ci = co / o, m = co % o;
                                    acc += x.at(i, iy, ix, ci) * k[((ky * kw + kx) * x.c() + ci) * o + m];
                                } else {
                                    for (int ci = 0; ci < x.c(); ci++) {
                                        acc += x.at(i, iy, ix, ci) * k[((ky * kw + kx) * x.c() + ci) * o + co];
                                    }
                                }
                            }
                        }
                        y[((i * ph[0] + oy) * pw[0] + ox) * outC + co] = (float) acc;
                    }
                }
            }
        }
        return new T(y, x.n(), ph[0], pw[0], outC);
    }

    static T pool(T x, int k, int s, boolean same, boolean avg) {
        int[] ph = same(x.h(), k, s, 1, same), pw = same(x.w(), k, s, 1, same);
        float[] y = new float[x.n() * ph[0] * pw[0] * x.c()];
        for (int i = 0; i < x.n(); i++) {
            for (int oy = 0; oy < ph[0]; oy++) {
                for (int ox = 0; ox < pw[0]; ox++) {
                    for (int ch = 0; ch < x.c(); ch++) {
                        double acc = avg ? 0 : Double.NEGATIVE_INFINITY;
                        int count = 0;
                        for (int ky = 0; ky < k; ky++) {
                            for (int kx = 0; kx < k; kx++) {
                                int iy = oy * s + ky - ph[1], ix = ox * s + kx - pw[1];
                                if (iy < 0 || ix < 0 || iy >= x.h() || ix >= x.w()) {
                                    continue;
                                }
                                count++;
                                acc = avg ? acc + x.at(i, iy, ix, ch) : Math.max(acc, x.at(i, iy, ix, ch));
                            }
                        }
                        y[((i * ph[0] + oy) * pw[0] + ox) * x.c() + ch] = (float) (avg ? acc / count : acc);
                    }
                }
            }
        }
        return new T(y, x.n(), ph[0], pw[0], x.c());
    }

    /** Per-channel {@code (x - mean) / sqrt(var + eps) * gamma + beta}. */
    static T batchNorm(T x, float[] gamma, float[] beta, float[] mean, float[] var, double eps) {
        float[] y = new float[x.v().length];
        for (int i = 0; i < y.length; i++) {
            int ch = i % x.c();
            y[i] = (float) ((x.v()[i] - mean[ch]) / Math.sqrt(var[ch] + eps) * gamma[ch] + beta[ch]);
        }
        return new T(y, x.n(), x.h(), x.w(), x.c());
    }

    static T map(T x, java.util.function.DoubleUnaryOperator f) {
        float[] y = new float[x.v().length];
        for (int i = 0; i < y.length; i++) {
            y[i] = (float) f.applyAsDouble(x.v()[i]);
        }
        return new T(y, x.n(), x.h(), x.w(), x.c());
    }

    static T relu6(T x) {
        return map(x, v -> Math.min(Math.max(v, 0), 6));
    }

    /** Channel-wise {@code x op c[ch]} (a [C] constant broadcast over the last axis). */
    static T perChannel(T x, float[] c, java.util.function.DoubleBinaryOperator op) {
        float[] y = new float[x.v().length];
        for (int i = 0; i < y.length; i++) {
            y[i] = (float) op.applyAsDouble(x.v()[i], c[i % x.c()]);
        }
        return new T(y, x.n(), x.h(), x.w(), x.c());
    }

    static T add(T a, T b) {
        float[] y = new float[a.v().length];
        for (int i = 0; i < y.length; i++) {
            y[i] = a.v()[i] + b.v()[i];
        }
        return new T(y, a.n(), a.h(), a.w(), a.c());
    }

    /** Concatenation along NHWC axis 1 (H) or 3 (C). */
    static T concat(T a, T b, int axis) {
        int h = axis == 1 ? a.h() + b.h() : a.h(), c = axis == 3 ? a.c() + b.c() : a.c();
        float[] y = new float[a.n() * h * a.w() * c];
        for (int i = 0; i < a.n(); i++) {
            for (int yy = 0; yy < h; yy++) {
                for (int x = 0; x < a.w(); x++) {
                    for (int ch = 0; ch < c; ch++) {
                        boolean first = axis == 1 ? yy < a.h() : ch < a.c();
                        float v = first ? a.at(i, yy, x, ch)
                                : axis == 1 ? b.at(i, yy - a.h(), x, ch) : b.at(i, yy, x, ch - a.c());
                        y[((i * h + yy) * a.w() + x) * c + ch] = v;
                    }
                }
            }
        }
        return new T(y, a.n(), h, a.w(), c);
    }

    /** Mean over H and W: [N x C]. */
    static float[] meanHw(T x) {
        float[] y = new float[x.n() * x.c()];
        for (int i = 0; i < x.n(); i++) {
            for (int ch = 0; ch < x.c(); ch++) {
                double acc = 0;
                for (int yy = 0; yy < x.h(); yy++) {
                    for (int xx = 0; xx < x.w(); xx++) {
                        acc += x.at(i, yy, xx, ch);
                    }
                }
                y[i * x.c() + ch] = (float) (acc / (x.h() * x.w()));
            }
        }
        return y;
    }

    /** Mean over H only: [N x W x C]. */
    static float[] meanH(T x) {
        float[] y = new float[x.n() * x.w() * x.c()];
        for (int i = 0; i < x.n(); i++) {
            for (int xx = 0; xx < x.w(); xx++) {
                for (int ch = 0; ch < x.c(); ch++) {
                    double acc = 0;
                    for (int yy = 0; yy < x.h(); yy++) {
                        acc += x.at(i, yy, xx, ch);
                    }
                    y[(i * x.w() + xx) * x.c() + ch] = (float) (acc / x.h());
                }
            }
        }
        return y;
    }

    /** {@code x . w + b} for x [N x in], w [in x out]. */
    static float[] dense(float[] x, int n, float[] w, int in, int out, float[] b) {
        float[] y = new float[n * out];
        for (int i = 0; i < n; i++) {
            for (int o = 0; o < out; o++) {
                double acc = b == null ? 0 : b[o];
                for (int k = 0; k < in; k++) {
                    acc += x[i * in + k] * w[k * out + o];
                }
                y[i * out + o] = (float) acc;
            }
        }
        return y;
    }

    static float[] softmaxRows(float[] x, int n) {
        int m = x.length / n;
        float[] y = new float[x.length];
        for (int i = 0; i < n; i++) {
            double max = Double.NEGATIVE_INFINITY, sum = 0;
            for (int j = 0; j < m; j++) {
                max = Math.max(max, x[i * m + j]);
            }
            for (int j = 0; j < m; j++) {
                sum += Math.exp(x[i * m + j] - max);
            }
            for (int j = 0; j < m; j++) {
                y[i * m + j] = (float) (Math.exp(x[i * m + j] - max) / sum);
            }
        }
        return y;
    }

    /** Zero padding of H and W. */
    static T pad(T x, int top, int bottom, int left, int right) {
        int h = x.h() + top + bottom, w = x.w() + left + right;
        float[] y = new float[x.n() * h * w * x.c()];
        for (int i = 0; i < x.n(); i++) {
            for (int yy = 0; yy < x.h(); yy++) {
                for (int xx = 0; xx < x.w(); xx++) {
                    for (int ch = 0; ch < x.c(); ch++) {
                        y[((i * h + yy + top) * w + xx + left) * x.c() + ch] = x.at(i, yy, xx, ch);
                    }
                }
            }
        }
        return new T(y, x.n(), h, w, x.c());
    }
}
