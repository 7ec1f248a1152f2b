package org.tribuo.usae;

import org.junit.jupiter.api.Test;
import org.tribuo.usae.sae.Architecture;
import org.tribuo.usae.sae.DictionaryConstraint;
import org.tribuo.usae.sae.EncoderKind;
import org.tribuo.usae.sae.SparsityKind;

import static org.junit.jupiter.api.Assertions.assertThrows;

class SmokeTest {
    @Test
    void architectureRejectsKAboveM() {
        assertThrows(IllegalArgumentException.class, () -> new Architecture(4, 5, EncoderKind.BATCHNORM,
                SparsityKind.TOPK, false, DictionaryConstraint.ROW_NORMALIZED));
    }
}
