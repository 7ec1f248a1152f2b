package org.tribuo.usae.onnx.extract;

/** Where a {@link Backbone} runs. */
public enum Device {
    /** The ONNX Runtime CPU execution provider (always available). */
    CPU,
    /** The CUDA execution provider; needs the {@code onnxruntime_gpu} jar and CUDA 12 + cuDNN 9 libraries. */
    CUDA
}
