package org.tribuo.usae.onnx.spark;

import com.oracle.labs.mlrg.olcut.config.ConfigurationData;
import com.oracle.labs.mlrg.olcut.config.ConfigurationManager;
import com.oracle.labs.mlrg.olcut.config.property.SimpleProperty;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.tribuo.usae.data.ActivationSet;
import org.tribuo.usae.data.ActivationSets;
import org.tribuo.usae.data.NpyActivationSet;
import org.tribuo.usae.data.RowIndex;
import org.tribuo.usae.data.ShardedActivationSet;
import org.tribuo.usae.data.ShardedManifest;
import org.tribuo.usae.model.UsaeModel;
import org.tribuo.usae.onnx.extract.Backbone;
import org.tribuo.usae.onnx.extract.Device;
import org.tribuo.usae.onnx.extract.ExtractionJob;
import org.tribuo.usae.onnx.extract.TinyVit;
import org.tribuo.usae.train.UsaeTrainer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Distributed extraction on a local[2,2] SparkContext: two task threads, one retry per task. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SparkExtractionTest {
    private static final int T = PatchSource.T;
    private static final List<String> NAMES = List.of("vitA", "vitB", "vitC");
    private static final List<TinyVit> VITS = List.of(new TinyVit(PatchSource.P, 4, 1), new TinyVit(PatchSource.P, 6, 2),
            new TinyVit(PatchSource.P, 5, 3));

    /** Failure injection: shared by the driver and the local executor threads (one JVM). */
    private static final AtomicBoolean FAILED_ONCE = new AtomicBoolean();
    private static final AtomicInteger PARTITION3_ATTEMPTS = new AtomicInteger();
    private static final List<PartitionShards> FAILED_ATTEMPT = new CopyOnWriteArrayList<>();

    private JavaSparkContext sc;

    @BeforeAll
    void start() {
        SparkConf conf = new SparkConf().setMaster("local[2,2]").setAppName("usae-spark-test")
                .set("spark.ui.enabled", "false").set("spark.driver.host", "127.0.0.1")
                .set("spark.driver.bindAddress", "127.0.0.1");
        sc = new JavaSparkContext(conf);
        sc.setLogLevel("ERROR");
    }

    @AfterAll
    void stop() {
        if (sc != null) {
            sc.stop();
        }
    }

    @Test
    void extractsAlignedVerifiedShardsEqualToALocalExtraction(@TempDir Path tmp) throws IOException {
        // 2000 inputs x 16 tokens in 8 partitions of 250 inputs = 4000 rows per shard; batches of 25 divide 250,
        // so Spark's tasks and the local job run ORT on exactly the same batches
        PatchSource source = new PatchSource(2000, 25, NAMES, VITS);
        Path out = tmp.resolve("spark");
        SparkExtraction.Result r = SparkExtraction.run(sc, source, out.toUri().toString(), 8);
        assertEquals(8, r.partitions());
        assertEquals(0, r.leftovers());
        ShardedManifest m = r.manifest();
        assertEquals(2000L * T, m.rows());
        assertEquals(m, ShardedManifest.read(out.resolve("manifest.json")));
        int[] dims = {4, 6, 5};
        for (int i = 0; i < 3; i++) {
            ShardedManifest.ModelShards model = m.models().get(i);
            assertEquals(NAMES.get(i), model.name());
            assertEquals(dims[i], model.dim());
            assertEquals(8, model.shards().size());
            for (int k = 0; k < 8; k++) {
                ShardedManifest.Shard s = model.shards().get(k);
                assertEquals(k * 4000L, s.firstRow());
                assertEquals(4000L, s.rows());
                assertTrue(s.path().startsWith(NAMES.get(i) + "/part-0000" + k + "-a"), s.path());
                assertEquals(128 + 4000L * dims[i] * 4, s.bytes(), "header + rows x width x 4 bytes");
            }
        }
        try (Stream<Path> files = Files.walk(out)) {
            assertFalse(files.anyMatch(f -> f.toString().endsWith(".crc") || f.getFileName().toString().contains(".tmp")),
                    "no checksum side files or temp files");
        }

        Path local = tmp.resolve("local");
        try (ActivationSet set = ActivationSets.open(out)) {
            ShardedActivationSet sharded = (ShardedActivationSet) set;
            sharded.verify(); // every shard's sha256 against the manifest
            assertEquals(NAMES, set.modelNames());
            RowIndex ri = set.rowIndex().orElseThrow();
            for (long row : new long[]{0, 3999, 4000, 19_757, 31_999}) {
                assertEquals(row / T, ri.inputId(row));
                assertEquals(row % T, ri.position(row));
            }
            // one value checked against the graph's closed form: input 1234, token 5 of vitB
            float[] expected = VITS.get(1).expected(PatchSource.input(1234), T);
            float[] got = new float[6];
            set.readRows(1, new long[]{1234L * T + 5}, got);
            for (int c = 0; c < 6; c++) {
                assertEquals(expected[(1 + 5) * 6 + c], got[c], 1e-4f);
            }

            List<ExtractionJob.Member<float[]>> members = source.members(Backbone.Options.builder().intraOpThreads(1).build());
            new ExtractionJob<>(members, 25).run(source.inputs(0, 2000), null, local, null);
            try (NpyActivationSet plain = NpyActivationSet.open(local)) {
                long[] all = new long[(int) set.rows()];
                for (int i = 0; i < all.length; i++) {
                    all[i] = i;
                }
                for (int i = 0; i < 3; i++) {
                    float[] a = new float[all.length * dims[i]];
                    float[] b = new float[all.length * dims[i]];
                    set.readRows(i, all, a);
                    plain.readRows(i, all, b);
                    assertArrayEquals(b, a, NAMES.get(i) + ": Spark shards equal the rows extracted without Spark");
                }
            }
        }
    }

    @Test
    void aTaskFailingOnceIsRetriedAndCommittedExactlyOnce(@TempDir Path tmp) {
        PatchSource source = new PatchSource(400, 25, NAMES, VITS);
        Path out = tmp.resolve("retry");
        FAILED_ONCE.set(false);
        PARTITION3_ATTEMPTS.set(0);
        FAILED_ATTEMPT.clear();
        SparkExtraction.Result r = SparkExtraction.run(sc, source, out.toUri().toString(), 8, written -> {
            if (written.partition() == 3) {
                PARTITION3_ATTEMPTS.incrementAndGet();
                // after the shards are complete, before they are reported: the worst moment to die
                if (FAILED_ONCE.compareAndSet(false, true)) {
                    FAILED_ATTEMPT.add(written);
                    throw new IllegalStateException("injected failure of partition 3");
                }
            }
        });
        assertEquals(2, PARTITION3_ATTEMPTS.get(), "partition 3 ran twice");
        PartitionShards failed = FAILED_ATTEMPT.get(0);
        List<String> listed = new ArrayList<>();
        r.manifest().models().forEach(mm -> mm.shards().forEach(s -> listed.add(s.path())));
        r.manifest().rowIndex().forEach(s -> listed.add(s.path()));
        assertEquals(8 * 4, listed.size(), "8 partitions x (3 models + row index), each listed once");
        for (PartitionShards.ShardFile f : failed.modelFiles()) {
            assertFalse(listed.contains(f.path()), f.path() + " of the failed attempt is not listed");
            assertFalse(Files.exists(out.resolve(f.path())), f.path() + " of the failed attempt was removed");
        }
        assertEquals(4, r.leftovers(), "3 model shards and 1 row-index shard of the failed attempt");
        String retried = r.manifest().models().get(0).shards().get(3).path();
        assertNotEquals(failed.modelFiles().get(0).path(), retried);
        assertTrue(retried.startsWith("vitA/part-00003-a"), retried);
        try (ShardedActivationSet set = ShardedActivationSet.open(out)) {
            set.verify();
            assertEquals(400L * T, set.rows());
        }
    }

    @Test
    void trainingReadsTheShardedSet(@TempDir Path tmp) {
        Path out = tmp.resolve("train");
        SparkExtraction.run(sc, new PatchSource(400, 25, NAMES, VITS), out.toString(), 4);
        ConfigurationManager cm = new ConfigurationManager();
        ConfigurationData cd = new ConfigurationData("trainer", UsaeTrainer.class.getName());
        Map.of("recipe", "FAITHFUL", "steps", "20", "numLatents", "16", "k", "4", "batchSize", "128", "seed", "3",
                "shuffleWindowRows", "2000").forEach((k, v) -> cd.add(k, new SimpleProperty(v)));
        cm.addConfiguration(cd);
        UsaeTrainer trainer = (UsaeTrainer) cm.lookup("trainer");
        try (ActivationSet set = ActivationSets.open(out)) {
            // 6400 rows in 4 shards, mixed in windows of >= 2000 rows
            assertArrayEquals(new long[]{0, 1600, 3200, 4800, 6400}, set.shardBoundaries());
            UsaeModel model = trainer.train(set);
            assertEquals(NAMES, model.parameters().names());
            assertTrue(model.getProvenance().getDatasetProvenance().toString().contains(ShardedActivationSet.class.getName()));
        }
    }

    /** The usae extract config (ImageExtraction): 6 PNGs in two class folders through the real PaddleOCR direction classifier. */
    private static final String CLS_CONFIG = """
            <?xml version="1.0" encoding="UTF-8"?>
            <config>
                <component name="extraction" type="org.tribuo.usae.onnx.extract.ImageExtraction">
                    <property name="source" value="images"/>
                    <propertylist name="backbones"><item>cls</item></propertylist>
                    <property name="batchSize" value="4"/>
                </component>
                <component name="images" type="org.tribuo.usae.onnx.extract.ImageFolder">
                    <property name="folder" value="unset"/>
                </component>
                <component name="ocr-input" type="org.tribuo.usae.onnx.extract.ImagePreprocessor">
                    <property name="height" value="48"/>
                    <property name="width" value="96"/>
                    <property name="resizeHeight" value="40"/>
                    <property name="resizeWidth" value="40"/>
                    <property name="padValue" value="255"/>
                    <property name="scale" value="0.00392156862745098"/>
                    <propertylist name="mean"><item>0.5</item></propertylist>
                    <propertylist name="std"><item>0.5</item></propertylist>
                </component>
                <component name="cls" type="org.tribuo.usae.onnx.extract.ImageBackboneSpec">
                    <property name="name" value="cls"/>
                    <property name="resource" value="models/ch_ppocr_mobile_v2.0_cls_infer.onnx"/>
                    <property name="tap" value="pool2d_9.tmp_0"/>
                    <property name="layout" value="NCHW"/>
                    <property name="gridHeight" value="1"/>
                    <property name="gridWidth" value="12"/>
                    <property name="preprocessor" value="ocr-input"/>
                </component>
            </config>
            """;

    private static Path images(Path root) throws IOException {
        for (int i = 0; i < 3; i++) {
            for (String label : List.of("bars", "boxes")) {
                java.awt.image.BufferedImage bi = new java.awt.image.BufferedImage(40 + 8 * i, 32, java.awt.image.BufferedImage.TYPE_INT_RGB);
                java.awt.Graphics2D g = bi.createGraphics();
                g.setColor(java.awt.Color.WHITE);
                g.fillRect(0, 0, bi.getWidth(), bi.getHeight());
                g.setColor(new java.awt.Color(20 * i, 0, 60));
                if (label.equals("bars")) {
                    for (int x = 2 + i; x < bi.getWidth(); x += 6) {
                        g.fillRect(x, 2, 2, 28);
                    }
                } else {
                    g.fillRect(6 + i, 6, 20, 20);
                }
                g.dispose();
                Path f = Files.createDirectories(root.resolve(label)).resolve("img" + i + ".png");
                assertTrue(javax.imageio.ImageIO.write(bi, "png", f.toFile()));
            }
        }
        return root;
    }

    @Test
    void theUsaeExtractConfigRunsAsASparkJob(@TempDir Path tmp) throws IOException {
        Path imgs = images(tmp.resolve("images"));
        ImageExtractionSource source = new ImageExtractionSource(CLS_CONFIG, "extraction", Map.of("images.folder", imgs.toString()));
        assertEquals(6, source.numInputs());
        Path out = tmp.resolve("spark");
        // 6 images in 3 partitions of 2; the cls map is 1 x 12 tokens of width 200
        SparkExtraction.Result r = SparkExtraction.run(sc, source, out.toUri().toString(), 3);
        assertEquals(72, r.manifest().rows());
        assertEquals(200, r.manifest().models().get(0).dim());
        // the same config through usae extract's code path, without Spark
        Path cfg = Files.writeString(tmp.resolve("cls.xml"), CLS_CONFIG);
        ConfigurationManager cm = new ConfigurationManager(cfg.toString());
        cm.overrideConfigurableProperty("images", "folder", new SimpleProperty(imgs.toString()));
        ((org.tribuo.usae.onnx.extract.ImageExtraction) cm.lookup("extraction")).run(tmp.resolve("local"), null);
        try (ActivationSet spark = ActivationSets.open(out); ActivationSet local = NpyActivationSet.open(tmp.resolve("local"))) {
            long[] all = new long[72];
            for (int i = 0; i < 72; i++) {
                all[i] = i;
            }
            float[] a = new float[72 * 200];
            float[] b = new float[72 * 200];
            spark.readRows(0, all, a);
            local.readRows(0, all, b);
            for (int i = 0; i < a.length; i++) {
                // different batch boundaries (2 per task vs 4 per run): equal up to float rounding
                assertEquals(b[i], a[i], 1e-4f * Math.max(1f, Math.abs(b[i])), "value " + i);
            }
        }
        // labels: the sorted class folders, bars = 0 then boxes = 1, in the same (sorted path) order
        assertArrayEquals(org.tribuo.usae.onnx.extract.InputLabels.read(tmp.resolve("local")).orElseThrow(),
                org.tribuo.usae.onnx.extract.InputLabels.read(out).orElseThrow());
        // and their names, as usae extract writes them (analyze/report read both files)
        assertEquals(Files.readAllLines(tmp.resolve("local").resolve("label_names.txt")),
                Files.readAllLines(out.resolve("label_names.txt")));
        assertEquals(List.of("bars", "boxes"), org.tribuo.usae.metrics.labels.InputLabelFile.read(out).orElseThrow().names());
    }

    @Test
    void commitRejectsMissingOrDuplicatePartitions() {
        PartitionShards.ShardFile f = new PartitionShards.ShardFile("a/x.npy", 32, 256, "00");
        PartitionShards p0 = new PartitionShards(0, 11, 0, 2, 16, List.of("a"), new int[]{4}, List.of(f), f);
        PartitionShards p1 = new PartitionShards(1, 12, 2, 2, 16, List.of("a"), new int[]{4}, List.of(f), f);
        IllegalStateException twice = assertThrows(IllegalStateException.class,
                () -> SparkExtraction.manifestOf(List.of(p0, p0), 2));
        assertTrue(twice.getMessage().contains("partition 1 has no result"), twice.getMessage());
        IllegalStateException missing = assertThrows(IllegalStateException.class,
                () -> SparkExtraction.manifestOf(List.of(p1), 2));
        assertTrue(missing.getMessage().startsWith("1 partition results for 2 partitions"), missing.getMessage());
        PartitionShards wide = new PartitionShards(1, 12, 2, 2, 16, List.of("a"), new int[]{5}, List.of(f), f);
        IllegalStateException widths = assertThrows(IllegalStateException.class,
                () -> SparkExtraction.manifestOf(List.of(p0, wide), 2));
        assertTrue(widths.getMessage().contains("partition 1 wrote models [a] of widths [5] but partition 0 wrote [a] of widths [4]"),
                widths.getMessage());
    }

    @Test
    void taskOptionsFollowTheTaskCpusAndGpu() {
        Backbone.Options cpu = TaskSessionOptions.of(4, null);
        assertEquals(Device.CPU, cpu.device());
        assertEquals(4, cpu.intraOpThreads());
        Backbone.Options gpu = TaskSessionOptions.of(2, new String[]{"1", "3"});
        assertEquals(Device.CUDA, gpu.device());
        assertEquals(1, gpu.deviceId());
        assertEquals(2, gpu.intraOpThreads());
        IllegalStateException bad = assertThrows(IllegalStateException.class, () -> TaskSessionOptions.of(1, new String[]{"gpu-a"}));
        assertTrue(bad.getMessage().contains("task GPU address 'gpu-a' is not an integer device id"), bad.getMessage());
    }
}
