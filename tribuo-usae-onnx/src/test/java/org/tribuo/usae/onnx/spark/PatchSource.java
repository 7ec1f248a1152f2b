package org.tribuo.usae.onnx.spark;

import org.tribuo.usae.onnx.extract.Backbone;
import org.tribuo.usae.onnx.extract.ExtractionJob;
import org.tribuo.usae.onnx.extract.Feeder;
import org.tribuo.usae.onnx.extract.TinyVit;
import org.tribuo.usae.onnx.extract.TokenPolicy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Test inputs for distributed extraction: input i is a {@code [T x P]} patch array drawn from a
 * generator seeded by i alone (any task, any attempt regenerates it), fed to small {@link TinyVit}
 * graphs whose CLS token is dropped, so every model gives T tokens per input.
 */
final class PatchSource implements SparkExtractionSource<float[]> {
    static final int T = 16;
    static final int P = 12;
    private static final long serialVersionUID = 1L;

    private final long n;
    private final int batchSize;
    private final List<String> names;
    private final List<byte[]> models;

    /**
     * @param n         inputs.
     * @param batchSize inputs per run.
     * @param names     model names.
     * @param vits      the models, in name order.
     */
    PatchSource(long n, int batchSize, List<String> names, List<TinyVit> vits) {
        this.n = n;
        this.batchSize = batchSize;
        this.names = List.copyOf(names);
        this.models = vits.stream().map(TinyVit::model).toList();
    }

    static float[] input(long id) {
        Random r = new Random(1_000_003L * id + 17);
        float[] x = new float[T * P];
        for (int j = 0; j < x.length; j++) {
            x[j] = (float) r.nextGaussian();
        }
        return x;
    }

    @Override
    public long numInputs() {
        return n;
    }

    @Override
    public List<float[]> inputs(long from, long to) {
        List<float[]> l = new ArrayList<>();
        for (long i = from; i < to; i++) {
            l.add(input(i));
        }
        return l;
    }

    @Override
    public List<ExtractionJob.Member<float[]>> members(Backbone.Options options) {
        TokenPolicy dropCls = TokenPolicy.builder(TokenPolicy.Layout.TOKENS).dropLeading(1).squareGrid().build();
        List<ExtractionJob.Member<float[]>> out = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            byte[] model = models.get(i);
            Backbone bb = BackboneCache.get("test " + name + " " + Arrays.hashCode(model), options,
                    () -> Backbone.fromBytes(name, model, List.of("blocks.0.out"), options));
            out.add(new ExtractionJob.Member<>(name, bb, null, dropCls, patches()));
        }
        return out;
    }

    /** Stacks inputs into the {@code [B, T, P]} "patches" tensor. */
    private static Feeder<float[]> patches() {
        return (bb, batch) -> {
            float[] x = new float[batch.size() * T * P];
            for (int i = 0; i < batch.size(); i++) {
                System.arraycopy(batch.get(i), 0, x, i * T * P, T * P);
            }
            return Map.of("patches", bb.floatTensor(x, new long[]{batch.size(), T, P}));
        };
    }

    @Override
    public int batchSize() {
        return batchSize;
    }

    @Override
    public String describe() {
        return n + " random patch inputs";
    }
}
