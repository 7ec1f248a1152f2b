package org.tribuo.usae.onnx.tfjs;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tribuo.usae.onnx.tfjs.TinyTfjs.config;
import static org.tribuo.usae.onnx.tfjs.TinyTfjs.in;
import static org.tribuo.usae.onnx.tfjs.TinyTfjs.ints;
import static org.tribuo.usae.onnx.tfjs.TinyTfjs.s;

/**
 * Damaged, hostile and unsupported models fail with one-line messages naming the file and the field, node or layer;
 * and nsfwjs' {@code .min.js} packaging reads like model.json.
 */
class TfjsErrorsTest {
    @TempDir
    Path dir;

    /** A conv graph: x [1, 4, 4, 2] -> conv (k [3, 3, 2, 2]) -> relu. */
    private static TinyTfjs convGraph() {
        return TinyTfjs.graph().placeholder("x", 1, 4, 4, 2)
                .constant("k", new long[]{3, 3, 2, 2}, NhwcReference.random(36, 1))
                .node("conv", "Conv2D", in("x", "k"), "strides", ints(1, 1, 1, 1), "padding", s("SAME"))
                .node("relu", "Relu", in("conv"));
    }

    private static TfjsFormatException fails(Path folder, ConversionOptions options) {
        return assertThrows(TfjsFormatException.class, () -> TfjsToOnnx.convert(TfjsModel.read(folder), options));
    }

    private static void assertNames(TfjsFormatException e, String... parts) {
        String msg = e.getMessage();
        assertFalse(msg.contains("\n"), "one line: " + msg);
        for (String p : parts) {
            assertTrue(msg.contains(p), "'" + msg + "' should name " + p);
        }
    }

    @Test
    void unknownOpNamesOpAndNode() throws Exception {
        Path m = convGraph().node("odd", "Cumprod", in("relu")).write(dir);
        assertNames(fails(m, ConversionOptions.taps("odd")), "model.json", "Cumprod", "'odd'");
        // an unsupported op after the taps never matters
        TfjsToOnnx.convert(TfjsModel.read(m), ConversionOptions.taps("relu"));
    }

    @Test
    void unsupportedSettingNamesNode() throws Exception {
        Path m = TinyTfjs.graph().placeholder("x", 1, 4, 4, 2)
                .constant("k", new long[]{3, 3, 2, 2}, NhwcReference.random(36, 1))
                .node("conv", "Conv2D", in("x", "k"), "strides", ints(1, 1, 1, 1), "padding", s("SAME"),
                        "data_format", s("NCHW"))
                .write(dir);
        assertNames(fails(m, ConversionOptions.taps("conv")), "Conv2D node 'conv'", "NCHW");
    }

    @Test
    void unknownLayerAndActivationNameTheLayer() throws Exception {
        Path m = TinyTfjs.layers()
                .layer("input_1", "InputLayer", config("batch_input_shape", new Integer[]{null, 4, 4, 2}))
                .layer("lstm", "LSTM", config("units", 3), "input_1")
                .layer("act", "Activation", config("activation", "gelu"), "input_1")
                .write(dir);
        assertNames(fails(m, ConversionOptions.taps("lstm")), "layer 'lstm'", "LSTM");
        assertNames(fails(m, ConversionOptions.taps("act")), "gelu", "layer 'act'");
    }

    @Test
    void shardSizeMustMatchTheManifest() throws Exception {
        Path m = convGraph().write(dir);
        Path shard = m.resolve("group1-shard2of2");
        byte[] bytes = Files.readAllBytes(shard);
        Files.write(shard, Arrays.copyOf(bytes, bytes.length - 4));
        assertNames(assertThrows(TfjsFormatException.class, () -> TfjsModel.read(m)), "model.json",
                "weightsManifest[0].paths", "bytes");
        Files.write(shard, Arrays.copyOf(bytes, bytes.length + 1));
        assertNames(assertThrows(TfjsFormatException.class, () -> TfjsModel.read(m)), "model.json",
                "weightsManifest[0]", "more bytes");
        Files.delete(shard);
        assertNames(assertThrows(TfjsFormatException.class, () -> TfjsModel.read(m)), "group1-shard2of2",
                "not found");
    }

    @Test
    void malformedFieldsNameTheField() throws Exception {
        Path m = convGraph().write(dir);
        String json = Files.readString(m.resolve("model.json"));
        Files.writeString(m.resolve("model.json"), json.replaceFirst("\"shape\":\\[3,3,2,2]", "\"shape\":\"big\""));
        assertNames(assertThrows(TfjsFormatException.class, () -> TfjsModel.read(m)),
                "weightsManifest[0].weights[0].shape", "expected an array");
        Files.writeString(m.resolve("model.json"), json.replaceFirst("\"shape\":\\[3,3,2,2]", "\"shape\":[3,3,2,-2]"));
        assertNames(assertThrows(TfjsFormatException.class, () -> TfjsModel.read(m)),
                "weightsManifest[0].weights[0].shape[3]", "outside");
        Files.writeString(m.resolve("model.json"), json.substring(0, json.length() - 5));
        assertNames(assertThrows(TfjsFormatException.class, () -> TfjsModel.read(m)), "model.json", "not valid JSON");
        Files.writeString(m.resolve("model.json"), json);
        assertNames(fails(m, ConversionOptions.taps("nowhere")), "model.json", "no node named 'nowhere'");
    }

    /** nsfwjs' packaging: a browserify UMD module exporting the model object literal, shards as base64 modules. */
    static String umd(String globalName, String literal) {
        return "!function(e){if(\"object\"==typeof exports&&\"undefined\"!=typeof module)module.exports=e();else{"
                + "(\"undefined\"!=typeof window?window:this)." + globalName + "=e()}}(function(){return function e(a,n,i)"
                + "{return n}({1:[function(e,a,n){a.exports=" + literal + "},{}]},{},[1])(1)});";
    }

    /** Rewrites a tiny model folder into the .min.js packaging (unquoted keys, !0/!1, one base64 shard module). */
    static Path minJs(Path jsonFolder, Path out, String base64Override) throws Exception {
        Files.createDirectories(out);
        byte[] a = Files.readAllBytes(jsonFolder.resolve("group1-shard1of2"));
        byte[] b = Files.readAllBytes(jsonFolder.resolve("group1-shard2of2"));
        byte[] all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        String json = Files.readString(jsonFolder.resolve("model.json"))
                .replace("[\"group1-shard1of2\",\"group1-shard2of2\"]", "['group1-shard1of1']")
                .replace("true", "!0").replace("false", "!1")
                .replaceAll("\"([A-Za-z_][A-Za-z_0-9]*)\":", "$1:");
        Files.writeString(out.resolve("model.min.js"), umd("model", json));
        String data = base64Override != null ? base64Override : Base64.getEncoder().encodeToString(all);
        Files.writeString(out.resolve("group1-shard1of1.min.js"), umd("group1_shard1of1", "\"" + data + "\""));
        return out;
    }

    @Test
    void minJsPackagingReadsLikeModelJson() throws Exception {
        Path json = convGraph().write(dir.resolve("json"));
        Path js = minJs(json, dir.resolve("js"), null);
        float[] x = NhwcReference.random(32, 5);
        Map<String, float[]> a = TinyTfjs.run(json, ConversionOptions.taps("relu"), x);
        Map<String, float[]> b = TinyTfjs.run(js, ConversionOptions.taps("relu"), x);
        TinyTfjs.assertClose(a.get("relu"), b.get("relu"), "min.js vs json");
        assertTrue(Files.readString(js.resolve("model.min.js")).contains("attr:{"), "keys are unquoted");
    }

    @Test
    void badBase64NamesTheShardFile() throws Exception {
        Path json = convGraph().write(dir.resolve("json"));
        Path js = minJs(json, dir.resolve("js"), "AAAA@@@@");
        assertNames(assertThrows(TfjsFormatException.class, () -> TfjsModel.read(js)), "group1-shard1of1.min.js",
                "base64");
    }

    @Test
    void jsLiteralSyntaxErrorNamesFileAndOffset() throws Exception {
        Path json = convGraph().write(dir.resolve("json"));
        Path js = minJs(json, dir.resolve("js"), null);
        String module = Files.readString(js.resolve("model.min.js"));
        Files.writeString(js.resolve("model.min.js"), module.replace("format:", "format:require('fs'),f2:"));
        assertNames(assertThrows(TfjsFormatException.class, () -> TfjsModel.read(js)), "model.min.js",
                "offset " + (module.indexOf("format:") + 7), "require");
    }

    @Test
    void jsLiteralSubset() {
        var v = JsLiteral.parse("t", "{a:[1,-.5,2e-3,!0,!1,null,'it\\'s',\"\\u0041\\x42\\n\",],'b c':{},7:true,}");
        assertTrue(v.get("a").get(1).doubleValue() == -0.5 && v.get("a").get(3).booleanValue()
                && !v.get("a").get(4).booleanValue() && v.get("a").get(5).isNull());
        assertTrue(v.get("a").get(6).textValue().equals("it's") && v.get("a").get(7).textValue().equals("AB\n"));
        assertTrue(v.has("b c") && v.has("7"));
        for (String bad : List.of("{a:b}", "{a:f()}", "[1,,2]", "{a:1 b:2}", "`t`", "{a:1}/*c*/", "{a:010}",
                "{a:1,a:2}", "{a:!2}", "'abc", "[" + "[".repeat(300) + "]".repeat(301), "{a:1}+1")) {
            TfjsFormatException e = assertThrows(TfjsFormatException.class, () -> JsLiteral.parse("f.js", bad), bad);
            assertNames(e, "f.js", "offset");
        }
        assertThrows(TfjsFormatException.class, () -> JsLiteral.parseExport("m.js", "module.exports=e();"));
        assertThrows(TfjsFormatException.class, () -> JsLiteral.parseExport("m.js", "a.exports={x:1}+evil()"));
    }
}
