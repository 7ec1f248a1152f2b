package org.tribuo.usae.onnx.autodiff;

import ai.onnx.proto.OnnxMl;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.LongBuffer;

/** Reading values out of {@code TensorProto}s. */
final class OnnxTensors {
    private OnnxTensors() {
    }

    /** @return the int64 values of {@code t}, from raw data or the int64 field. */
    static long[] int64Values(OnnxMl.TensorProto t) {
        if (!t.getRawData().isEmpty()) {
            LongBuffer lb = ByteBuffer.wrap(t.getRawData().toByteArray()).order(ByteOrder.LITTLE_ENDIAN).asLongBuffer();
            long[] v = new long[lb.remaining()];
            lb.get(v);
            return v;
        }
        return t.getInt64DataList().stream().mapToLong(Long::longValue).toArray();
    }
}
