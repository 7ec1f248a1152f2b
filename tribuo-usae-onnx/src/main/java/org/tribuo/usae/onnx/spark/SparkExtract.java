package org.tribuo.usae.onnx.spark;

import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

import java.nio.file.Path;
import java.util.Locale;

/**
 * {@code spark-submit} entry point: the {@code usae extract} config, run as a Spark job.
 * <pre>
 * spark-submit --class org.tribuo.usae.onnx.spark.SparkExtract app.jar \
 *     -c extract.xml [--extraction extraction] --output URI [--partitions N] [--@component.field value ...]
 * </pre>
 * The master and resources come from {@code spark-submit}. Prints what was committed and the
 * throughput.
 */
public final class SparkExtract {
    private SparkExtract() {
    }

    /**
     * @param args the options above.
     */
    public static void main(String[] args) {
        String config = null;
        String component = "extraction";
        String output = null;
        int partitions = 0;
        java.util.Map<String, String> overrides = new java.util.LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(a + ": expected a value after it");
            }
            switch (a) {
                case "-c", "--config-file" -> config = args[++i];
                case "--extraction" -> component = args[++i];
                case "--output", "-o" -> output = args[++i];
                case "--partitions" -> partitions = Integer.parseInt(args[++i]);
                default -> {
                    if (!a.startsWith("--@") || !a.contains(".")) {
                        throw new IllegalArgumentException("unknown option '" + a
                                + "'; expected -c <config.xml> --output <uri> [--extraction <name>] [--partitions <n>]"
                                + " [--@<component>.<field> <value> ...]");
                    }
                    overrides.put(a.substring(3), args[++i]);
                }
            }
        }
        if (config == null || output == null) {
            throw new IllegalArgumentException("-c <config.xml> and --output <uri> are required");
        }
        ImageExtractionSource source = ImageExtractionSource.fromFile(Path.of(config), component, overrides);
        SparkConf conf = new SparkConf().setAppName("usae-extract");
        try (JavaSparkContext sc = new JavaSparkContext(conf)) {
            int p = partitions > 0 ? partitions : Math.max(1, sc.defaultParallelism() * 4);
            System.out.println("Extracting " + source.numInputs() + " inputs from " + source.describe() + " into " + output
                    + " in " + p + " partitions");
            SparkExtraction.Result r = SparkExtraction.run(sc, source, output, p);
            System.out.printf(Locale.ROOT, "Committed %s/manifest.json: %d inputs, %d rows, %d shards per model, models %s;"
                            + " %.1f s (%.0f inputs/s, %.0f rows/s)%s%n",
                    output, r.inputs(), r.manifest().rows(), r.partitions(),
                    r.manifest().models().stream().map(m -> m.name() + ":" + m.dim()).toList(), r.seconds(),
                    r.inputs() / r.seconds(), r.manifest().rows() / r.seconds(),
                    r.leftovers() > 0 ? "; removed " + r.leftovers() + " files of failed attempts" : "");
        }
    }
}
