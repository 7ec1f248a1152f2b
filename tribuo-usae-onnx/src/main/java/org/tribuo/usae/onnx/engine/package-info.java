/**
 * Training on ONNX Runtime: the training step of every built-in recipe (forward, hand-written backward,
 * clipping, AdamW, BatchNorm statistics, dead-latent counters) as an ONNX graph built in Java, run many steps per call
 * inside an ONNX {@code Loop} on the CPU or CUDA execution provider. Registered with the trainer
 * as engines ORT_CPU / ORT_CUDA through {@link org.tribuo.usae.train.FusedStepEngineFactory}.
 */
package org.tribuo.usae.onnx.engine;
