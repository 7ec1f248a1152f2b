/** Report pieces that need the ONNX module's types: the image gallery over an {@link org.tribuo.usae.onnx.extract.ImageSource}. */
package org.tribuo.usae.onnx.report;
