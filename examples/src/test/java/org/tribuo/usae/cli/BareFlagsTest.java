package org.tribuo.usae.cli;

import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

class BareFlagsTest {
    @Test
    void bareFlagsGetTrueAndValuedOnesAreKept() {
        Set<String> flags = Set.of("--no-labels", "--check");
        // bare in the middle and at the end get "true"; an explicit value stays; other options are untouched
        assertArrayEquals(new String[]{"--no-labels", "true", "--json", "x", "--check", "true"},
                BareFlags.expand(new String[]{"--no-labels", "--json", "x", "--check"}, flags));
        assertArrayEquals(new String[]{"--check", "FALSE", "--rows", "all"},
                BareFlags.expand(new String[]{"--check", "FALSE", "--rows", "all"}, flags));
        assertArrayEquals(new String[]{"--baselines", "--json", "x"},
                BareFlags.expand(new String[]{"--baselines", "--json", "x"}, flags));
    }
}
