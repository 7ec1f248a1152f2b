/**
 * Everything in tribuo-usae that needs ONNX Runtime: backbone extraction, export, the ORT engine.
 */
package org.tribuo.usae.onnx;
