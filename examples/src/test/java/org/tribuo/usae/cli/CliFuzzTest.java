package org.tribuo.usae.cli;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tribuo.protos.core.ModelProto;
import org.tribuo.usae.data.Npy;
import org.tribuo.usae.protos.CheckedUsaeModelProto;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Table-driven bad inputs for the command line: trainer flags and OLCUT config files, data
 * folders, and model files given to {@code eval}/{@code info}, plus seeded bit flips of a real
 * model file. Every case must exit non-zero with one line on stderr that names the file, field
 * or value, print no stack trace (unless --verbose), and leave no output file behind.
 */
class CliFuzzTest {
    @TempDir
    static Path tmp;
    static Path data;
    static Path model;

    /**
     * @param name     what is wrong.
     * @param args     the command line; "$OUT" is replaced by a fresh output folder.
     * @param mentions substrings stderr must contain.
     */
    record Case(String name, String[] args, String... mentions) {
    }

    static String[] args(String... a) {
        return a;
    }

    @BeforeAll
    static void trainOnce() throws Exception {
        data = UsaeCliTest.plainNpyFolder(Files.createDirectories(tmp.resolve("acts")), 400);
        UsaeCliTest.Run r = UsaeCliTest.usae("train", "-d", data.toString(), "-o", tmp.resolve("good").toString(),
                "--steps", "3", "--latents", "64", "-k", "4", "--batch-size", "64", "--hold-out", "0");
        assertEquals(0, r.code(), r.err());
        model = tmp.resolve("good/model.usae");
    }

    static String[] train(String... extra) {
        List<String> a = new ArrayList<>(List.of("train", "-d", data.toString(), "-o", "$OUT", "--steps", "3",
                "--latents", "64", "-k", "4", "--batch-size", "64"));
        a.addAll(List.of(extra));
        return a.toArray(String[]::new);
    }

    static Path write(String name, String text) throws Exception {
        return Files.writeString(tmp.resolve(name), text);
    }

    static Path write(String name, byte[] bytes) throws Exception {
        return Files.write(tmp.resolve(name), bytes);
    }

    static String config(String properties) {
        return "<config><component name=\"trainer\" type=\"org.tribuo.usae.train.UsaeTrainer\">" + properties
                + "</component></config>";
    }

    static String prop(String name, String value) {
        return "<property name=\"" + name + "\" value=\"" + value + "\"/>";
    }

    static List<Case> trainCases() throws Exception {
        List<Case> c = new ArrayList<>();
        c.add(new Case("unknown trainer field", train("--@trainer.bogusField", "3"), "bogusField"));
        c.add(new Case("k = 0", train("-k", "0"), "k must be > 0, got 0"));
        c.add(new Case("k < 0", train("-k", "-3"), "k must be > 0, got -3"));
        c.add(new Case("k > m", train("--latents", "16", "-k", "17"), "k (17)", "numLatents (16)"));
        c.add(new Case("k > expansion x width", train("--latents", "0", "--expansion", "1", "-k", "65"), "k (65)"));
        c.add(new Case("numLatents negative", train("--latents", "-5"), "numLatents", "-5"));
        // a typed flag: refused when the command line is parsed, naming the flag
        c.add(new Case("numLatents not a number", train("--latents", "many"), "--latents", "many is not an integer"));
        c.add(new Case("expansion 0", train("--latents", "0", "--expansion", "0"), "expansionFactor must be > 0"));
        c.add(new Case("lr = 0", train("--lr", "0"), "learningRate > 0", "0.0"));
        c.add(new Case("lr < 0", train("--lr", "-1e-3"), "learningRate > 0", "-0.001"));
        c.add(new Case("lr NaN", train("--lr", "NaN"), "learningRate > 0", "NaN"));
        c.add(new Case("lr not a number", train("--lr", "fast"), "learningRate", "fast"));
        c.add(new Case("steps negative", train("--steps", "-4"), "steps", "-4"));
        c.add(new Case("steps not a number", train("--steps", "1e3x"), "steps", "1e3x"));
        c.add(new Case("batch size 0", train("--batch-size", "0"), "batchSize must be > 0"));
        c.add(new Case("hold-out 1.5", train("--hold-out", "1.5"), "holdOutFraction", "1.5"));
        c.add(new Case("hold-out negative", train("--hold-out", "-0.1"), "holdOutFraction", "-0.1"));
        c.add(new Case("unknown recipe", train("--recipe", "bogus"), "'bogus' is not a recipe; expected one of"));
        c.add(new Case("unknown engine", train("--engine", "gpu"), "GPU"));
        c.add(new Case("warmupFraction 2", train("--@trainer.warmupFraction", "2"), "warmupFraction", "2.0"));
        c.add(new Case("auxK 0 with DEAD_AUXK", train("--@trainer.auxK", "0"), "auxK must be > 0"));
        c.add(new Case("global TopK with one source", train("--@trainer.sparsity", "GLOBAL_TOPK", "--@trainer.sources",
                "RANDOM_ONE"), "GLOBAL_TOPK", "RANDOM_ONE"));
        c.add(new Case("beta1 = 1", train("--@trainer.beta1", "1"), "beta1"));
        c.add(new Case("more latents than the heap holds", train("--latents", "40000000", "-k", "4"),
                "Java heap", "m=40000000", "USAE_JAVA_OPTS=-Xmx"));
        c.add(new Case("missing --data", args("train", "-o", "$OUT", "--steps", "3"), "--data and --output are required"));
        c.add(new Case("missing --output", args("train", "-d", data.toString(), "--steps", "3"), "--output"));
        c.add(new Case("data folder missing", args("train", "-d", tmp.resolve("nope").toString(), "-o", "$OUT", "--steps", "3"),
                "nope", "not a folder"));
        c.add(new Case("data is a file", args("train", "-d", data.resolve("alpha.npy").toString(), "-o", "$OUT",
                "--steps", "3"), "alpha.npy", "not a folder"));
        Path nan = Files.createDirectories(tmp.resolve("nan"));
        float[] a = new float[200 * 3];
        a[3 * 150 + 1] = Float.NaN;
        Npy.writeFloat32(nan.resolve("a.npy"), a, 200, 3);
        Npy.writeFloat32(nan.resolve("b.npy"), new float[200 * 2], 200, 2);
        c.add(new Case("NaN row in the data", args("train", "-d", nan.toString(), "-o", "$OUT", "--steps", "20",
                "--latents", "8", "-k", "2", "--batch-size", "50", "--hold-out", "0"), "a.npy", "non-finite value NaN",
                "row 150"));
        Path escape = Files.createDirectories(tmp.resolve("escape"));
        Npy.writeFloat32(escape.resolve("b.npy"), new float[20], 10, 2);
        Files.writeString(escape.resolve("manifest.json"), "{\"format_version\": 1, \"rows\": 10, \"models\": ["
                + "{\"name\": \"b\", \"dim\": 2}, {\"name\": \"x\", \"file\": \"../acts/alpha.npy\", \"dim\": 48}]}");
        c.add(new Case("manifest path escaping the folder", args("train", "-d", escape.toString(), "-o", "$OUT",
                "--steps", "3"), "manifest.json", "'../acts/alpha.npy'", "outside the set folder"));
        c.add(new Case("unknown flag", train("--frobnicate", "3"), "frobnicate"));
        c.add(new Case("flag without value", train("--steps"), "--steps"));
        // config files
        c.add(new Case("config file missing", train("-c", tmp.resolve("none.xml").toString()), "none.xml"));
        c.add(new Case("malformed XML", train("-c", write("bad.xml", "<config><component name=\"trainer\"").toString()),
                "bad.xml"));
        c.add(new Case("config not XML", train("-c", write("text.xml", "recipe = FAITHFUL").toString()), "text.xml"));
        c.add(new Case("config unknown field", train("-c", write("unknown.xml", config(prop("recipe", "SPARC")
                + prop("bogus", "1"))).toString()), "bogus"));
        c.add(new Case("config k = 0", train("-c", write("k0.xml", config(prop("k", "0") + prop("steps", "3")))
                .toString(), "-k", "0"), "k must be > 0"));
        c.add(new Case("config numLatents negative", args("train", "-d", data.toString(), "-o", "$OUT", "-c",
                write("neg.xml", config(prop("numLatents", "-8") + prop("steps", "3"))).toString()), "numLatents", "-8"));
        c.add(new Case("config lr NaN", args("train", "-d", data.toString(), "-o", "$OUT", "-c",
                write("nan.xml", config(prop("learningRate", "NaN") + prop("steps", "3"))).toString()), "NaN"));
        c.add(new Case("config unknown recipe", args("train", "-d", data.toString(), "-o", "$OUT", "-c",
                write("recipe.xml", config(prop("recipe", "FANCY") + prop("steps", "3"))).toString()), "FANCY"));
        c.add(new Case("config component of another class", args("train", "-d", data.toString(), "-o", "$OUT", "-c",
                write("class.xml", "<config><component name=\"trainer\" type=\"org.nope.Trainer\"/></config>").toString()),
                "org.nope.Trainer", "not a class"));
        c.add(new Case("config negative steps", args("train", "-d", data.toString(), "-o", "$OUT", "-c",
                write("steps.xml", config(prop("steps", "-1"))).toString()), "steps", "-1"));
        return c;
    }

    static List<Case> modelCases() throws Exception {
        byte[] good = Files.readAllBytes(model);
        List<Case> c = new ArrayList<>();
        Path truncated = write("truncated.usae", Arrays.copyOf(good, good.length / 2));
        Path empty = write("empty.usae", new byte[0]);
        Path text = write("text.usae", "this is not a model\n");
        ModelProto proto = ModelProto.parseFrom(good);
        Path version = write("version.usae", proto.toBuilder().setVersion(99).build().toByteArray());
        Path kmeans = write("kmeans.usae", proto.toBuilder().setClassName("org.tribuo.clustering.kmeans.KMeansModel")
                .build().toByteArray());
        Path ensemble = write("ensemble.usae", proto.toBuilder().setClassName("org.tribuo.ensemble.WeightedEnsembleModel")
                .build().toByteArray());
        Path notModel = write("notmodel.usae", proto.toBuilder().setClassName("java.lang.String").build().toByteArray());
        Path payload = write("payload.usae", proto.toBuilder().setSerializedData(Any.pack(ModelProto.newBuilder()
                .setClassName("x").build())).build().toByteArray());
        Path noModelDir = Files.createDirectories(tmp.resolve("emptyrun"));
        // edits inside the bytes the model's SHA-256 covers: each one a well-formed protobuf still
        byte[] seed = good.clone();
        seed[CliRegressionModelFileTest.seedDigits(seed)] ^= 0x01;
        Path seedEdited = write("seed.usae", seed);
        Path weightFlipped = write("weight.usae", flipInside(good, CheckedRegion.PARAMETERS));
        Path checksumFlipped = write("checksum.usae", flipInside(good, CheckedRegion.CHECKSUM));
        Path downgraded = write("downgraded.usae", proto.toBuilder().setVersion(0).build().toByteArray());
        for (String cmd : List.of("eval", "info")) {
            List<String> tail = cmd.equals("eval") ? List.of("-d", data.toString()) : List.of();
            c.add(mc(cmd, "truncated", truncated, tail, "truncated.usae"));
            c.add(mc(cmd, "empty", empty, tail, "empty.usae"));
            c.add(mc(cmd, "text", text, tail, "text.usae"));
            c.add(mc(cmd, "wrong version", version, tail, "version.usae", "99"));
            c.add(mc(cmd, "KMeans class name", kmeans, tail, "kmeans.usae", "KMeansModel"));
            c.add(mc(cmd, "another Tribuo model class", ensemble, tail, "ensemble.usae"));
            c.add(mc(cmd, "not a model class", notModel, tail, "notmodel.usae"));
            c.add(mc(cmd, "wrong payload", payload, tail, "payload.usae"));
            c.add(mc(cmd, "an .npy file", data.resolve("alpha.npy"), tail, "alpha.npy"));
            c.add(mc(cmd, "seed digit edited in the provenance", seedEdited, tail, seedEdited + ": corrupt model"));
            c.add(mc(cmd, "weight byte flipped", weightFlipped, tail, weightFlipped + ": corrupt model"));
            c.add(mc(cmd, "checksum byte flipped", checksumFlipped, tail, checksumFlipped + ": corrupt model"));
            c.add(mc(cmd, "version 1 relabelled 0", downgraded, tail, downgraded + ": corrupt model", "format version 0"));
            c.add(mc(cmd, "a folder without model.usae", noModelDir, tail, "emptyrun", "no model file"));
            c.add(mc(cmd, "missing file", tmp.resolve("absent.usae"), tail, "absent.usae", "no model file"));
        }
        c.add(new Case("eval without -m", args("eval", "-d", data.toString()), "--model is required"));
        c.add(new Case("eval without -d", args("eval", "-m", model.toString()), "--data is required"));
        c.add(new Case("eval on a set with other model names", args("eval", "-m", model.toString(), "-d",
                tmp.resolve("nan").toString()), "alpha"));
        c.add(new Case("eval --rows backwards", args("eval", "-m", model.toString(), "-d", data.toString(), "--rows", "9:3"),
                "--rows: '9:3'"));
        c.add(new Case("eval --json onto a folder", args("eval", "-m", model.toString(), "-d", data.toString(),
                "--json", Files.createDirectories(tmp.resolve("jsondir")).toString()), "jsondir"));
        return c;
    }

    /** The byte ranges of a version-1 model file that its SHA-256 covers, besides the outer fields. */
    enum CheckedRegion { METADATA, PARAMETERS, CHECKSUM }

    /** @return [start, end) of the region in the file's bytes. */
    static int[] range(byte[] file, CheckedRegion region) throws Exception {
        CheckedUsaeModelProto payload = ModelProto.parseFrom(file).getSerializedData().unpack(CheckedUsaeModelProto.class);
        ByteString bytes = switch (region) {
            case METADATA -> payload.getMetadata();
            case PARAMETERS -> payload.getParameters();
            case CHECKSUM -> payload.getPayloadSha256();
        };
        int start = CliRegressionModelFileTest.indexOfOnce(file, bytes.toByteArray());
        return new int[]{start, start + bytes.size()};
    }

    /** @return a copy with one bit flipped in the middle of the region. */
    static byte[] flipInside(byte[] file, CheckedRegion region) throws Exception {
        int[] r = range(file, region);
        byte[] b = file.clone();
        b[(r[0] + r[1]) / 2] ^= 0x04;
        return b;
    }

    static Case mc(String cmd, String what, Path file, List<String> tail, String... mentions) {
        List<String> a = new ArrayList<>(List.of(cmd, "-m", file.toString()));
        a.addAll(tail);
        return new Case(cmd + ": " + what, a.toArray(String[]::new), mentions);
    }

    int counter;

    /** @return null when the case behaved, else why not. */
    String check(String[] template, String... mentions) throws Exception {
        Path out = tmp.resolve("out" + (counter++));
        String[] a = Arrays.stream(template).map(s -> s.replace("$OUT", out.toString())).toArray(String[]::new);
        UsaeCliTest.Run r;
        try {
            r = UsaeCliTest.usae(a);
        } catch (Throwable t) {
            return "escaped Usae.run: " + t;
        }
        String err = r.err().strip();
        if (r.code() == 0) {
            return "exit code 0 (stderr: " + err + ")";
        }
        if (err.contains("\tat ") || err.contains("Exception:") && err.contains("\n")) {
            return "stack trace without --verbose: " + err;
        }
        if (err.contains("\n")) {
            return "more than one line: " + err;
        }
        for (String m : mentions) {
            if (!err.contains(m)) {
                return "does not mention '" + m + "': " + err;
            }
        }
        if (Files.exists(out)) {
            try (Stream<Path> s = Files.list(out)) {
                List<Path> left = s.toList();
                if (!left.isEmpty()) {
                    return "left output behind: " + left;
                }
            }
        }
        try (Stream<Path> s = Files.list(tmp)) {
            List<Path> stray = s.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList();
            if (!stray.isEmpty()) {
                return "stray temp files: " + stray;
            }
        }
        return null;
    }

    @Test
    void everyBadCommandLineFailsCleanly() throws Exception {
        List<Case> train = trainCases();
        List<Case> models = modelCases();
        List<String> bad = new ArrayList<>();
        for (Case c : Stream.concat(train.stream(), models.stream()).toList()) {
            String why = check(c.args(), c.mentions());
            if (why != null) {
                // the stack trace, to see where it came from
                String[] verbose = Stream.concat(Stream.of(Usae.VERBOSE), Arrays.stream(c.args())
                        .map(s -> s.replace("$OUT", tmp.resolve("verbose").toString()))).toArray(String[]::new);
                String trace = UsaeCliTest.usae(verbose).err();
                bad.add(c.name() + ": " + why + "\n    --verbose: " + trace.substring(0, Math.min(1500, trace.length())));
            }
        }
        int flips = 40;
        bad.addAll(bitFlips(flips));
        int total = train.size() + models.size() + flips;
        System.out.println("fuzz: " + total + " cases (train flags/configs/data " + train.size() + ", model files "
                + models.size() + ", model bit flips " + flips + "), " + (total - bad.size()) + " behaved");
        bad.forEach(s -> System.out.println("  misbehaved: " + s));
        assertEquals(List.of(), bad);
    }

    /**
     * Seeded bit flips of a real model. The SHA-256 of format version 1 covers every byte that can
     * change what loads, so no flip may load: each fails cleanly, and flips that all land inside the
     * checked metadata, parameters or checksum bytes fail with the corrupt-model message.
     */
    List<String> bitFlips(int count) throws Exception {
        byte[] good = Files.readAllBytes(model);
        List<int[]> checked = new ArrayList<>();
        for (CheckedRegion region : CheckedRegion.values()) {
            checked.add(range(good, region));
        }
        Random rng = new Random(31337L);
        List<String> bad = new ArrayList<>();
        int insideChecked = 0;
        for (int i = 0; i < count; i++) {
            byte[] b = good.clone();
            int flips = 1 + rng.nextInt(8);
            boolean allInsideChecked = true;
            for (int f = 0; f < flips; f++) {
                // half the flips land in the first 2 KB: protobuf tags, lengths, metadata, provenance
                int pos = rng.nextBoolean() ? rng.nextInt(Math.min(2048, b.length)) : rng.nextInt(b.length);
                b[pos] ^= (byte) (1 << rng.nextInt(8));
                allInsideChecked &= checked.stream().anyMatch(r -> pos >= r[0] && pos < r[1]);
            }
            insideChecked += allInsideChecked ? 1 : 0;
            Path f = write("flip" + i + ".usae", b);
            UsaeCliTest.Run r;
            try {
                r = UsaeCliTest.usae("info", "-m", f.toString());
            } catch (Throwable t) {
                bad.add("flip " + i + ": escaped Usae.run: " + t);
                continue;
            }
            String err = r.err().strip();
            if (r.code() != 2 || err.contains("\n") || err.contains("\tat ") || !err.contains("flip" + i + ".usae")
                    || allInsideChecked && !err.contains(f + ": corrupt model")) {
                bad.add("flip " + i + (allInsideChecked ? " (inside the checked bytes)" : "") + ": exit " + r.code()
                        + ", stderr: " + err);
            }
        }
        System.out.println("fuzz: " + insideChecked + " of " + count + " bit-flipped files changed only checked bytes");
        return bad;
    }

    @Test
    void verboseAddsTheStackTrace() {
        UsaeCliTest.Run quiet = UsaeCliTest.usae("info", "-m", tmp.resolve("absent.usae").toString());
        UsaeCliTest.Run verbose = UsaeCliTest.usae("--verbose", "info", "-m", tmp.resolve("absent.usae").toString());
        UsaeCliTest.Run after = UsaeCliTest.usae("info", "-m", tmp.resolve("absent.usae").toString(), "--verbose");
        assertEquals(2, quiet.code());
        assertEquals(2, verbose.code());
        assertEquals(2, after.code());
        assertTrue(!quiet.err().contains("\tat ") && verbose.err().contains("\tat ") && after.err().contains("\tat "),
                verbose.err());
        assertTrue(verbose.err().startsWith(quiet.err().strip()), verbose.err());
    }
}
