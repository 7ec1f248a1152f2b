package org.tribuo.usae.engine;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which dot kernels a JVM runs: the Vector API when its module is present, unless usae.vector=false. */
class RowDotsDispatchTest {
    @Test
    void vectorKernelsNeedTheModuleAndNoOptOut() {
        assertTrue(VectorSwitch.decide(null, true));
        assertTrue(VectorSwitch.decide("true", true));
        assertTrue(VectorSwitch.decide(" TRUE ", true));
        assertFalse(VectorSwitch.decide("false", true));
        assertFalse(VectorSwitch.decide("False", true));
        // without the module, the scalar kernels run whatever the property asks
        assertFalse(VectorSwitch.decide(null, false));
        assertFalse(VectorSwitch.decide("true", false));
    }

    @Test
    void anythingButTrueOrFalseIsRejectedWithTheValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> VectorSwitch.decide("yes", true));
        assertEquals("system property usae.vector must be true or false, got 'yes'", e.getMessage());
        // the same message is kept for the engine's constructor, not thrown from the class initializer
        assertEquals(e.getMessage(), VectorSwitch.problem("yes"));
        assertEquals(null, VectorSwitch.problem(null));
        assertEquals(null, VectorSwitch.problem("False"));
    }

    /**
     * The build runs the tests twice (tribuo-usae/pom.xml): with the module (vector kernels) and without it
     * (scalar); usae.expectVector says which, so a build that silently lost one path fails here.
     */
    @Test
    void thisJvmRunsTheKernelsTheBuildAskedFor() {
        boolean modulePresent = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
        assertEquals(VectorSwitch.decide(System.getProperty("usae.vector"), modulePresent), RowDots.VECTOR);
        String expected = System.getProperty("usae.expectVector");
        if (expected != null) {
            assertEquals(Boolean.parseBoolean(expected), RowDots.VECTOR, "kernels: " + RowDots.describe());
        }
        assertEquals(RowDots.VECTOR, RowDots.describe().startsWith("vector ("), RowDots.describe());
    }
}
