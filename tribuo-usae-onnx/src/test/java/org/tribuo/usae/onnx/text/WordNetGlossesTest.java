package org.tribuo.usae.onnx.text;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WordNetGlossesTest {
    private static List<WordNetGlosses.Gloss> nouns;

    @BeforeAll
    static void load() {
        nouns = WordNetGlosses.load("noun");
    }

    @Test
    void counts() {
        // WordNet 3.1 data.noun (counts measured in docs/real-models-and-data.md)
        assertEquals(82192, nouns.size());
        Map<String, Long> by = nouns.stream().collect(Collectors.groupingBy(WordNetGlosses.Gloss::supersense, Collectors.counting()));
        assertEquals(26, by.size());
        assertEquals(11605L, by.get("noun.artifact"));
        assertEquals(11073L, by.get("noun.person"));
        assertEquals(7510L, by.get("noun.animal"));
        assertTrue(WordNetGlosses.load("verb").stream().allMatch(g -> g.supersense().startsWith("verb.")));
    }

    @Test
    void knownGloss() {
        WordNetGlosses.Gloss dog = nouns.stream().filter(g -> g.words().contains("dog") && g.words().contains("domestic dog"))
                .findFirst().orElseThrow();
        assertEquals("noun.animal", dog.supersense());
        assertTrue(dog.definition().startsWith("a member of the genus Canis"), dog.definition());
        assertTrue(dog.gloss().contains("\"the dog barked all night\""), dog.gloss());
        assertTrue(!dog.definition().contains("\""), dog.definition());
    }

    @Test
    void seededBalancedSample() {
        List<WordNetGlosses.Gloss> a = WordNetGlosses.sample(nouns, 20, 7);
        List<WordNetGlosses.Gloss> b = WordNetGlosses.sample(nouns, 20, 7);
        assertEquals(a, b);
        Map<String, Long> by = a.stream().collect(Collectors.groupingBy(WordNetGlosses.Gloss::supersense, Collectors.counting()));
        assertEquals(26, by.size());
        assertTrue(by.values().stream().allMatch(n -> n == 20), by.toString());
        assertTrue(!a.equals(WordNetGlosses.sample(nouns, 20, 8)));
        assertEquals(a.size(), a.stream().map(Function.identity()).distinct().count());
        // noun.Tops has fewer than 1000 synsets: a large request takes all of it
        long tops = nouns.stream().filter(g -> g.supersense().equals("noun.Tops")).count();
        assertEquals(tops, WordNetGlosses.sample(nouns, 100000, 1).stream().filter(g -> g.supersense().equals("noun.Tops")).count());
    }
}
