package org.tribuo.usae.fuzz;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tribuo.usae.data.ActivationSetException;
import org.tribuo.usae.data.BatchStream;
import org.tribuo.usae.data.Npy;
import org.tribuo.usae.data.NpyActivationSet;
import org.tribuo.usae.data.NpyArray;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The table of bad inputs {@link ReaderFuzzTest} runs: each case builds a broken .npy or manifest and says what the error must name. */
final class ReaderFuzzCases {
    private ReaderFuzzCases() {
    }

    private static final long CASE_TIMEOUT_S = 20;

    /** Builds the bad input under a fresh folder. */
    interface Build {
        void into(Path dir) throws Exception;
    }

    /** Reads the input the way the library does; must throw ActivationSetException. */
    interface Read {
        void from(Path dir) throws Exception;
    }

    /**
     * @param name     what is wrong.
     * @param build    writes the input.
     * @param read     reads it.
     * @param mentions substrings the error message must contain.
     */
    record Case(String name, Build build, Read read, String... mentions) {
    }

    // ---------------------------------------------------------------- .npy helpers

    /** A v1.0 .npy file with this dict (padded like numpy) and body. */
    static byte[] npy(String dict, byte[] body) {
        return npy(1, dict, body);
    }

    static byte[] npy(int major, String dict, byte[] body) {
        int prefix = major == 1 ? 10 : 12;
        int total = ((prefix + dict.length() + 1 + 63) / 64) * 64;
        StringBuilder sb = new StringBuilder(dict);
        while (prefix + sb.length() < total - 1) {
            sb.append(' ');
        }
        sb.append('\n');
        byte[] h = sb.toString().getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer b = ByteBuffer.allocate(prefix + h.length + body.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[]{(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', (byte) major, 0});
        if (major == 1) {
            b.putShort((short) h.length);
        } else {
            b.putInt(h.length);
        }
        b.put(h).put(body);
        return b.array();
    }

    static String dict(String descr, String fortran, String shape) {
        return "{'descr': '" + descr + "', 'fortran_order': " + fortran + ", 'shape': " + shape + ", }";
    }

    static byte[] floats(float... v) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : v) {
            b.putFloat(f);
        }
        return b.array();
    }

    static byte[] halfs(short... v) {
        ByteBuffer b = ByteBuffer.allocate(2 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (short s : v) {
            b.putShort(s);
        }
        return b.array();
    }

    static float[] ramp(int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = i * 0.25f - 1f;
        }
        return v;
    }

    /** A valid float32 [4 x 3] file. */
    static byte[] valid() {
        return npy(dict("<f4", "False", "(4, 3)"), floats(ramp(12)));
    }

    static Build file(String name, byte[] bytes) {
        return dir -> Files.write(dir.resolve(name), bytes);
    }

    static Build aNpy(byte[] bytes) {
        return file("a.npy", bytes);
    }

    static Build aNpy(String dict, byte[] body) {
        return aNpy(npy(dict, body));
    }

    static Build both(Build... builds) {
        return dir -> {
            for (Build b : builds) {
                b.into(dir);
            }
        };
    }

    /** Opens a.npy as activations. */
    static final Read OPEN_A = dir -> {
        try (NpyArray a = Npy.openActivations(dir.resolve("a.npy"))) {
            a.rows();
        }
    };

    /** Opens the folder as a set. */
    static final Read OPEN_SET = dir -> {
        try (NpyActivationSet s = NpyActivationSet.open(dir)) {
            s.rows();
        }
    };

    /** Opens the folder and verifies every hash. */
    static final Read VERIFY_SET = dir -> {
        try (NpyActivationSet s = NpyActivationSet.open(dir)) {
            s.verify();
        }
    };

    /** Opens the folder and streams two epochs of batches (NaN/Inf are found at batch time). */
    static final Read STREAM_SET = dir -> {
        try (NpyActivationSet s = NpyActivationSet.open(dir)) {
            BatchStream b = new BatchStream(s, 2, 7L, false);
            for (int i = 0; i < 2 * b.batchesPerEpoch(); i++) {
                b.next();
            }
        }
    };

    // ---------------------------------------------------------------- cases

    static List<Case> npyCases() {
        List<Case> c = new ArrayList<>();
        byte[] good = valid();
        c.add(new Case("truncated body", aNpy(Arrays.copyOf(good, good.length - 7)), OPEN_A, "a.npy", "truncated"));
        c.add(new Case("body missing", aNpy(Arrays.copyOf(good, 128)), OPEN_A, "a.npy", "truncated", "expected 176 bytes, found 128"));
        c.add(new Case("truncated header", aNpy(Arrays.copyOf(good, 30)), OPEN_A, "a.npy", "header length", "file size 30"));
        c.add(new Case("5-byte file", aNpy(Arrays.copyOf(good, 5)), OPEN_A, "a.npy", "too short"));
        c.add(new Case("empty file", aNpy(new byte[0]), OPEN_A, "a.npy", "too short", "0 bytes"));
        c.add(new Case("v2 prefix cut", aNpy(Arrays.copyOf(npy(2, dict("<f4", "False", "(4, 3)"), floats(ramp(12))), 11)),
                OPEN_A, "a.npy", "truncated header"));
        byte[] magic = good.clone();
        magic[1] = 'n';
        c.add(new Case("wrong magic", aNpy(magic), OPEN_A, "a.npy", "bad magic", "\\x93NUMPY"));
        c.add(new Case("a zip file (np.savez)", aNpy(new byte[]{'P', 'K', 3, 4, 20, 0, 0, 0, 8, 0, 0, 0, 0, 0}), OPEN_A,
                "a.npy", "bad magic"));
        byte[] version = good.clone();
        version[6] = 4;
        c.add(new Case("version 4.0", aNpy(version), OPEN_A, "a.npy", "unsupported .npy version 4.0"));
        c.add(new Case("header not a dict", aNpy("descr: <f4, shape: (4, 3)", floats(ramp(12))), OPEN_A,
                "a.npy", "Python dict literal"));
        c.add(new Case("missing descr", aNpy("{'fortran_order': False, 'shape': (4, 3), }", floats(ramp(12))), OPEN_A,
                "a.npy", "'descr'"));
        c.add(new Case("missing fortran_order", aNpy("{'descr': '<f4', 'shape': (4, 3), }", floats(ramp(12))), OPEN_A,
                "a.npy", "'fortran_order'"));
        c.add(new Case("missing shape", aNpy("{'descr': '<f4', 'fortran_order': False, }", floats(ramp(12))), OPEN_A,
                "a.npy", "'shape'"));
        c.add(new Case("shape entry not a number", aNpy(dict("<f4", "False", "(4, x)"), floats(ramp(12))), OPEN_A,
                "a.npy", "'x' is not an integer"));
        c.add(new Case("shape entry beyond long", aNpy(dict("<f4", "False", "(99999999999999999999, 3)"), floats(ramp(12))),
                OPEN_A, "a.npy", "not an integer"));
        ByteBuffer huge = ByteBuffer.wrap(npy(2, dict("<f4", "False", "(4, 3)"), floats(ramp(12)))).order(ByteOrder.LITTLE_ENDIAN);
        huge.putInt(8, 0xFFFFFFF0);
        c.add(new Case("oversized header length (v2, 4 GB)", aNpy(huge.array()), OPEN_A, "a.npy", "header length 4294967280",
                "at most"));
        ByteBuffer big = ByteBuffer.wrap(good.clone()).order(ByteOrder.LITTLE_ENDIAN);
        big.putShort(8, (short) 0xFFF0);
        c.add(new Case("header length past end of file", aNpy(big.array()), OPEN_A, "a.npy", "exceeds file size"));
        c.add(new Case("fortran order", aNpy(dict("<f4", "True", "(4, 3)"), floats(ramp(12))), OPEN_A,
                "a.npy", "fortran_order is True", "C order"));
        c.add(new Case("big-endian float32", aNpy(dict(">f4", "False", "(4, 3)"), floats(ramp(12))), OPEN_A,
                "a.npy", "'>f4'", "big-endian"));
        c.add(new Case("float64", aNpy(dict("<f8", "False", "(4, 3)"), new byte[96]), OPEN_A, "a.npy", "'<f8'", "float64"));
        c.add(new Case("int32", aNpy(dict("<i4", "False", "(4, 3)"), new byte[48]), OPEN_A, "a.npy", "'<i4'", "integers"));
        c.add(new Case("int64 as activations", aNpy(dict("<i8", "False", "(4, 3)"), new byte[96]), OPEN_A, "a.npy", "'<i8'"));
        c.add(new Case("object array", aNpy(dict("|O", "False", "(4, 3)"), new byte[96]), OPEN_A, "a.npy", "'|O'", "object"));
        c.add(new Case("bool", aNpy(dict("|b1", "False", "(4, 3)"), new byte[12]), OPEN_A, "a.npy", "'|b1'"));
        c.add(new Case("structured dtype", aNpy("{'descr': [('x', '<f4')], 'fortran_order': False, 'shape': (4, 3), }",
                new byte[48]), OPEN_A, "a.npy", "'descr'"));
        c.add(new Case("rank 1", aNpy(dict("<f4", "False", "(12,)"), floats(ramp(12))), OPEN_A, "a.npy", "rank 1"));
        c.add(new Case("rank 0", aNpy(dict("<f4", "False", "()"), floats(1f)), OPEN_A, "a.npy", "rank 0"));
        c.add(new Case("rank 3", aNpy(dict("<f4", "False", "(2, 2, 3)"), floats(ramp(12))), OPEN_A, "a.npy", "rank 3"));
        c.add(new Case("negative rows", aNpy(dict("<f4", "False", "(-4, 3)"), floats(ramp(12))), OPEN_A,
                "a.npy", "invalid shape (-4, 3)"));
        c.add(new Case("negative cols", aNpy(dict("<f4", "False", "(4, -3)"), floats(ramp(12))), OPEN_A,
                "a.npy", "invalid shape (4, -3)"));
        c.add(new Case("cols beyond int", aNpy(dict("<f4", "False", "(1, 4294967296)"), floats(ramp(12))), OPEN_A,
                "a.npy", "invalid shape"));
        c.add(new Case("rows*cols*4 overflows long", aNpy(dict("<f4", "False", "(4611686018427387904, 4)"), floats(ramp(12))),
                OPEN_A, "a.npy", "overflows"));
        c.add(new Case("rows*cols overflows long", aNpy(dict("<f4", "False", "(9223372036854775807, 2147483647)"),
                floats(ramp(12))), OPEN_A, "a.npy", "overflows"));
        c.add(new Case("absurd shape larger than file", aNpy(dict("<f4", "False", "(1000000000000, 4096)"), floats(ramp(12))),
                OPEN_A, "a.npy", "truncated", "expected 16384000000000128 bytes"));
        c.add(new Case("trailing data", aNpy(dict("<f4", "False", "(4, 3)"), floats(ramp(13))), OPEN_A,
                "a.npy", "size mismatch"));
        c.add(new Case("a folder named a.npy", dir -> Files.createDirectories(dir.resolve("a.npy")), OPEN_A,
                "a.npy", "is a folder, expected a regular .npy file"));
        c.add(new Case("missing file", dir -> { }, OPEN_A, "a.npy", "not found"));
        // in a set folder
        Build b = file("b.npy", npy(dict("<f4", "False", "(4, 2)"), floats(ramp(8))));
        c.add(new Case("zero rows", both(aNpy(dict("<f4", "False", "(0, 3)"), new byte[0]), b), OPEN_SET,
                "a.npy", "(0, 3) is empty"));
        c.add(new Case("zero columns", both(aNpy(dict("<f4", "False", "(4, 0)"), new byte[0]), b), OPEN_SET,
                "a.npy", "(4, 0) is empty"));
        c.add(new Case("row counts differ", both(aNpy(dict("<f4", "False", "(3, 4)"), floats(ramp(12))), b), OPEN_SET,
                "a.npy", "b.npy", "row counts differ"));
        c.add(new Case("one bad file among good ones", both(aNpy(dict("<f8", "False", "(4, 3)"), new byte[96]), b), OPEN_SET,
                "a.npy", "'<f8'"));
        float[] nan = ramp(12);
        nan[7] = Float.NaN;
        c.add(new Case("NaN row at batch time", both(aNpy(dict("<f4", "False", "(4, 3)"), floats(nan)), b), STREAM_SET,
                "a.npy", "non-finite value NaN", "row 2", "column 1"));
        float[] inf = ramp(12);
        inf[11] = Float.POSITIVE_INFINITY;
        c.add(new Case("+Inf row at batch time", both(aNpy(dict("<f4", "False", "(4, 3)"), floats(inf)), b), STREAM_SET,
                "a.npy", "non-finite value Infinity", "row 3"));
        c.add(new Case("float16 -Inf at batch time", both(b, file("c.npy", npy(dict("<f2", "False", "(4, 1)"),
                halfs((short) 0x3C00, (short) 0xFC00, (short) 0, (short) 0)))), STREAM_SET,
                "c.npy", "non-finite value -Infinity", "row 1"));
        c.add(new Case("float16 NaN at batch time", both(b, file("c.npy", npy(dict("<f2", "False", "(4, 1)"),
                halfs((short) 0, (short) 0, (short) 0, (short) 0x7E00)))), STREAM_SET,
                "c.npy", "non-finite value NaN", "row 3"));
        c.add(new Case("row index float32", both(b, file("row_index.npy", npy(dict("<f4", "False", "(4, 2)"), floats(ramp(8))))),
                OPEN_SET, "row_index.npy", "'<f4'", "'<i8'"));
        c.add(new Case("row index 3 columns", both(b, file("row_index.npy", npy(dict("<i8", "False", "(4, 3)"), new byte[96]))),
                OPEN_SET, "row_index.npy", "3 columns"));
        c.add(new Case("row index row count", both(b, file("row_index.npy", npy(dict("<i8", "False", "(5, 2)"), new byte[80]))),
                OPEN_SET, "row_index.npy", "row counts differ"));
        c.add(new Case("folder has no .npy", file("notes.txt", new byte[]{'x'}), OPEN_SET, "no <model>.npy files"));
        c.add(new Case("folder missing", dir -> Files.delete(dir), OPEN_SET, "not a folder"));
        return c;
    }

    static final String A = "{\"name\": \"a\", \"file\": \"a.npy\", \"dim\": 3, \"dtype\": \"<f4\"}";
    static final String B = "{\"name\": \"b\", \"file\": \"b.npy\", \"dim\": 2, \"dtype\": \"<f4\"}";

    static String manifest(String version, String rows, String models) {
        return "{\"format_version\": " + version + ", \"rows\": " + rows + ", \"models\": " + models + "}";
    }

    static String manifest(String models) {
        return manifest("1", "4", models);
    }

    /** A valid a.npy [4 x 3], b.npy [4 x 2] and this manifest text. */
    static Build set(String manifestJson) {
        return dir -> {
            Files.write(dir.resolve("a.npy"), valid());
            Files.write(dir.resolve("b.npy"), npy(dict("<f4", "False", "(4, 2)"), floats(ramp(8))));
            Files.writeString(dir.resolve("manifest.json"), manifestJson);
        };
    }

    static Case m(String name, String json, String... mentions) {
        String[] all = Arrays.copyOf(mentions, mentions.length + 1);
        all[mentions.length] = "manifest.json";
        return new Case(name, set(json), OPEN_SET, all);
    }

    static String withA(String entry) {
        return "[" + entry + ", " + B + "]";
    }

    static List<Case> manifestCases() {
        List<Case> c = new ArrayList<>();
        c.add(m("invalid JSON", "{\"format_version\": 1,", "malformed JSON"));
        c.add(m("not JSON at all", "format_version = 1", "malformed JSON"));
        c.add(m("empty file", "", "JSON object"));
        c.add(m("top-level array", "[1, 2]", "JSON object"));
        c.add(m("missing format_version", "{\"rows\": 4, \"models\": [" + A + "]}", "'format_version'", "nothing"));
        c.add(m("format_version a string", manifest("\"1\"", "4", withA(A)), "'format_version'", "\"1\""));
        c.add(m("format_version 2", manifest("2", "4", withA(A)), "'format_version' is 2", "expected 1"));
        c.add(m("format_version 2^32+1", manifest("4294967297", "4", withA(A)), "'format_version' is 4294967297"));
        c.add(m("missing rows", "{\"format_version\": 1, \"models\": " + withA(A) + "}", "'rows'"));
        c.add(m("rows negative", manifest("1", "-4", withA(A)), "'rows'", "-4"));
        c.add(m("rows fractional", manifest("1", "4.5", withA(A)), "'rows'", "4.5"));
        c.add(m("rows 1e400", manifest("1", "1e400", withA(A)), "'rows'"));
        c.add(m("rows disagree with files", manifest("1", "5", withA(A)), "a.npy", "4 rows", "says 5"));
        c.add(m("missing models", "{\"format_version\": 1, \"rows\": 4}", "'models'"));
        c.add(m("models empty", manifest("[]"), "'models'", "non-empty array"));
        c.add(m("models an object", manifest(A), "'models'", "non-empty array"));
        c.add(m("model entry a string", manifest("[\"a.npy\"]"), "'models[0]' must be an object"));
        c.add(m("model entry null", manifest("[null]"), "'models[0]' must be an object"));
        c.add(m("name missing", manifest(withA("{\"file\": \"a.npy\", \"dim\": 3}")), "'models[0].name'", "nothing"));
        c.add(m("name a number", manifest(withA("{\"name\": 7, \"dim\": 3}")), "'models[0].name'", "7"));
        c.add(m("name empty", manifest(withA("{\"name\": \"\", \"dim\": 3}")), "'models[0].name'"));
        c.add(m("name with a slash", manifest(withA("{\"name\": \"../evil\", \"file\": \"a.npy\", \"dim\": 3}")),
                "'models[0].name'", "'../evil'"));
        c.add(m("name '..'", manifest(withA("{\"name\": \"..\", \"file\": \"a.npy\", \"dim\": 3}")), "'models[0].name'"));
        c.add(m("name with a newline", manifest(withA("{\"name\": \"a\\nb\", \"file\": \"a.npy\", \"dim\": 3}")),
                "'models[0].name'"));
        c.add(m("duplicate model", manifest("[" + A + ", " + A + "]"), "'a' is listed twice"));
        c.add(m("dim missing", manifest(withA("{\"name\": \"a\"}")), "'models[0].dim'", "nothing"));
        c.add(m("dim a string", manifest(withA("{\"name\": \"a\", \"dim\": \"3\"}")), "'models[0].dim'", "\"3\""));
        c.add(m("dim zero", manifest(withA("{\"name\": \"a\", \"dim\": 0}")), "'models[0].dim' is 0"));
        c.add(m("dim beyond int", manifest(withA("{\"name\": \"a\", \"dim\": 1000000000000}")),
                "'models[0].dim' is 1000000000000"));
        c.add(m("dim disagrees with file", manifest(withA("{\"name\": \"a\", \"dim\": 4}")), "a.npy", "dim 3", "says 4"));
        c.add(m("dtype disagrees with file", manifest(withA("{\"name\": \"a\", \"dim\": 3, \"dtype\": \"<f2\"}")),
                "a.npy", "'<f4'", "says '<f2'"));
        c.add(m("dtype a list", manifest(withA("{\"name\": \"a\", \"dim\": 3, \"dtype\": [\"<f4\"]}")), "'models[0].dtype'"));
        c.add(m("sha256 a number", manifest(withA("{\"name\": \"a\", \"dim\": 3, \"sha256\": 12}")), "'models[0].sha256'"));
        c.add(m("stats a string", manifest(withA("{\"name\": \"a\", \"dim\": 3, \"stats\": \"x\"}")), "'models[0].stats.mean'"));
        c.add(m("stats count negative", manifest(withA("{\"name\": \"a\", \"dim\": 3, \"stats\": {\"mean\": 0, \"std\": 1, "
                + "\"min\": 0, \"max\": 1, \"count\": -1}}")), "'models[0].stats.count'", "-1"));
        c.add(m("file a number", manifest(withA("{\"name\": \"a\", \"file\": 3, \"dim\": 3}")), "'models[0].file'"));
        c.add(m("file empty", manifest(withA("{\"name\": \"a\", \"file\": \"\", \"dim\": 3}")), "'models[0].file'"));
        c.add(m("file does not exist", manifest(withA("{\"name\": \"a\", \"file\": \"c.npy\", \"dim\": 3}")),
                "'a'", "c.npy", "does not exist"));
        c.add(m("model without file, no <name>.npy", manifest(withA("{\"name\": \"q\", \"dim\": 3}")), "q.npy", "does not exist"));
        c.add(new Case("file '../x.npy'", both(set(manifest(withA("{\"name\": \"a\", \"file\": \"../x.npy\", \"dim\": 3}"))),
                dir -> Files.write(dir.resolveSibling("x.npy"), valid())), OPEN_SET, "manifest.json", "'../x.npy'",
                "outside the set folder"));
        c.add(new Case("file 'sub/../../x.npy'", both(set(manifest(withA(
                "{\"name\": \"a\", \"file\": \"sub/../../x.npy\", \"dim\": 3}"))),
                dir -> Files.write(dir.resolveSibling("x.npy"), valid())), OPEN_SET, "manifest.json", "outside the set folder"));
        c.add(new Case("file absolute", dir -> {
            Path outside = Files.write(dir.resolveSibling("abs.npy"), valid());
            set(manifest(withA("{\"name\": \"a\", \"file\": \"" + outside.toAbsolutePath() + "\", \"dim\": 3}"))).into(dir);
        }, OPEN_SET, "manifest.json", "abs.npy", "outside the set folder"));
        c.add(m("file '.'", manifest(withA("{\"name\": \"a\", \"file\": \".\", \"dim\": 3}")), "'.'", "outside the set folder"));
        c.add(m("file with a NUL", manifest(withA("{\"name\": \"a\", \"file\": \"a\\u0000.npy\", \"dim\": 3}")),
                "not a valid path"));
        c.add(new Case("symlink out of the folder", dir -> {
            Path outside = Files.write(dir.resolveSibling("secret.npy"), valid());
            set(manifest(withA("{\"name\": \"a\", \"file\": \"link.npy\", \"dim\": 3}"))).into(dir);
            Files.createSymbolicLink(dir.resolve("link.npy"), outside);
        }, OPEN_SET, "manifest.json", "'link.npy'", "secret.npy", "outside the set folder"));
        c.add(new Case("symlinked folder out of the set", dir -> {
            Path other = Files.createDirectories(dir.resolveSibling("other"));
            Files.write(other.resolve("a.npy"), valid());
            set(manifest(withA("{\"name\": \"a\", \"file\": \"sub/a.npy\", \"dim\": 3}"))).into(dir);
            Files.createSymbolicLink(dir.resolve("sub"), other);
        }, OPEN_SET, "manifest.json", "'sub/a.npy'", "outside the set folder"));
        c.add(new Case("row_index '../ri.npy'", both(set("{\"format_version\": 1, \"rows\": 4, \"models\": " + withA(A)
                + ", \"row_index\": {\"file\": \"../ri.npy\"}}"), dir -> Files.write(dir.resolveSibling("ri.npy"),
                npy(dict("<i8", "False", "(4, 2)"), new byte[64]))), OPEN_SET, "manifest.json", "row_index", "outside"));
        c.add(m("row_index missing file", "{\"format_version\": 1, \"rows\": 4, \"models\": " + withA(A)
                + ", \"row_index\": {\"file\": \"ri.npy\"}}", "row index", "ri.npy", "does not exist"));
        c.add(m("row_index a number", "{\"format_version\": 1, \"rows\": 4, \"models\": " + withA(A)
                + ", \"row_index\": 5}", "'row_index.file'"));
        c.add(m("deeply nested JSON", "{\"format_version\": 1, \"x\": " + "[".repeat(100_000) + "]".repeat(100_000) + "}",
                "malformed JSON"));
        c.add(new Case("manifest.json is a folder", dir -> {
            set("").into(dir);
            Files.delete(dir.resolve("manifest.json"));
            Files.createDirectories(dir.resolve("manifest.json"));
        }, OPEN_SET, "manifest.json", "is a folder, expected a regular JSON file"));
        c.add(new Case("manifest not UTF-8", both(set(""), file("manifest.json", new byte[]{'{', (byte) 0xC3, (byte) 0x28, '}'})),
                OPEN_SET, "manifest.json", "cannot read"));
        c.add(new Case("sha256 mismatch on verify", set(manifest(withA("{\"name\": \"a\", \"dim\": 3, \"sha256\": \"00ff\"}"))),
                VERIFY_SET, "a.npy", "sha256 mismatch", "expected 00ff"));
        return c;
    }

    // ---------------------------------------------------------------- running

    /** Outcome of one case: null when it behaved, else what went wrong. */
    static String check(Path dir, Read read, String... mentions) {
        ExecutorService ex = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "fuzz-case");
            t.setDaemon(true);
            return t;
        });
        try {
            Future<Throwable> f = ex.submit(() -> {
                try {
                    read.from(dir);
                    return null;
                } catch (Throwable t) {
                    return t;
                }
            });
            Throwable t = f.get(CASE_TIMEOUT_S, TimeUnit.SECONDS);
            if (t == null) {
                return "no error";
            }
            if (!(t instanceof ActivationSetException)) {
                return "threw " + t;
            }
            for (String s : mentions) {
                if (!t.getMessage().contains(s)) {
                    return "message does not mention '" + s + "': " + t.getMessage();
                }
            }
            if (t.getMessage().contains("\n")) {
                return "message is not one paragraph: " + t.getMessage();
            }
            return null;
        } catch (TimeoutException e) {
            return "hung for more than " + CASE_TIMEOUT_S + " s";
        } catch (Exception e) {
            return "harness: " + e;
        } finally {
            ex.shutdownNow();
        }
    }

}
