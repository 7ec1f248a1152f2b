package org.tribuo.usae.pipeline;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tribuo.usae.data.InMemoryActivationSet;
import org.tribuo.usae.model.UsaeModel;
import org.tribuo.usae.report.TextGallery;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The report job as a library call: the page and analysis.json, the concepts shown, one-line errors. */
class ReportingTest {
    private static final InMemoryActivationSet set = TrainedPlanted.SET;
    private static final UsaeModel model = TrainedPlanted.MODEL;

    @Test
    void writesThePageAndTheAnalysesOfTheSameRows(@TempDir Path tmp) throws Exception {
        ReportingOptions opts = new ReportingOptions();
        opts.analysis.batchSize = 512;
        opts.concepts = 3;
        opts.conceptIds = List.of("5", "7");
        Path html = tmp.resolve("report.html");
        ReportingResult r = Reporting.run(model, set, opts, null, null, html, TrainedPlanted.quiet());
        assertEquals(html, r.html());
        assertEquals(tmp.resolve("analysis.json"), r.json());
        // analysis.json is the analysis job's own result on the same rows
        assertEquals(Analysis.run(model, set, opts.analysis, TrainedPlanted.quiet()).toJson(),
                Files.readString(r.json()));
        String page = Files.readString(html);
        assertTrue(page.startsWith("<!DOCTYPE html>") || page.startsWith("<!doctype html>"), page.substring(0, 40));
        assertTrue(page.contains("USAE report: " + String.join(" · ", model.modelNames())), "title");
        assertTrue(page.contains("<svg"), "charts");
        // the requested concepts first, then the top ones by energy, each once
        int[] rank = r.analyses().concepts().stats().energyRank();
        java.util.LinkedHashSet<Integer> expected = new java.util.LinkedHashSet<>(List.of(5, 7));
        for (int q = 0; q < 3; q++) {
            expected.add(rank[q]);
        }
        assertArrayEquals(expected.stream().mapToInt(Integer::intValue).toArray(), r.concepts());
    }

    @Test
    void aFailingDiskLeavesNeitherFile(@TempDir Path tmp) {
        ReportingOptions opts = new ReportingOptions();
        opts.analysis.batchSize = 512;
        opts.concepts = 0;
        Path html = tmp.resolve("report.html");
        Path json = tmp.resolve("analysis.json");
        // the page is written, then the JSON's write fails (a full disk): the page must go again
        try (var files = org.mockito.Mockito.mockStatic(org.tribuo.usae.data.AtomicFiles.class,
                org.mockito.Mockito.CALLS_REAL_METHODS)) {
            files.when(() -> org.tribuo.usae.data.AtomicFiles.writeString(org.mockito.ArgumentMatchers.eq(json),
                    org.mockito.ArgumentMatchers.anyString())).thenThrow(new java.io.UncheckedIOException(
                    new java.io.IOException("No space left on device")));
            java.io.UncheckedIOException e = assertThrows(java.io.UncheckedIOException.class,
                    () -> Reporting.run(model, set, opts, null, null, html, TrainedPlanted.quiet()));
            assertTrue(e.getMessage().contains("No space left on device"), e.getMessage());
        }
        assertFalse(Files.exists(html), "the page of a failed report stayed");
        assertFalse(Files.exists(json));
    }

    @Test
    void badOptionsFailInOneLineBeforeTheAnalysesRun(@TempDir Path tmp) throws Exception {
        ReportingOptions opts = new ReportingOptions();
        opts.conceptIds = List.of("64");
        IllegalArgumentException id = assertThrows(IllegalArgumentException.class,
                () -> Reporting.run(model, set, opts, null, null, tmp.resolve("r.html"), TrainedPlanted.quiet()));
        assertEquals("--concept-ids: '64' is not a concept id of this model; expected integers in [0, 64)",
                id.getMessage());
        assertFalse(Files.exists(tmp.resolve("r.html")));
        opts.conceptIds = List.of();
        opts.examples = 0;
        IllegalArgumentException examples = assertThrows(IllegalArgumentException.class,
                () -> Reporting.run(model, set, opts, null, null, tmp.resolve("r.html"), TrainedPlanted.quiet()));
        assertTrue(examples.getMessage().startsWith("--examples: 0"), examples.getMessage());
        opts.examples = 6;
        // example panels need the rows grouped into inputs, which an in-memory set without a row index cannot do
        TextGallery gallery = new TextGallery(List.of(new TextGallery.TextInput(0, "", new String[]{"an"}, "an input")));
        IllegalArgumentException panels = assertThrows(IllegalArgumentException.class,
                () -> Reporting.run(model, set, opts, gallery, null, tmp.resolve("r.html"), TrainedPlanted.quiet()));
        assertTrue(panels.getMessage().contains("has no row_index.npy"), panels.getMessage());
        // a folder where analysis.json goes is refused before anything is written
        Files.createDirectories(tmp.resolve("analysis.json"));
        IllegalArgumentException folder = assertThrows(IllegalArgumentException.class,
                () -> Reporting.run(model, set, new ReportingOptions(), null, null, tmp.resolve("r.html"),
                        TrainedPlanted.quiet()));
        assertTrue(folder.getMessage().startsWith("--output"), folder.getMessage());
        assertFalse(Files.exists(tmp.resolve("r.html")));
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> Reporting.run(new ReportingOptions(), null, null, TrainedPlanted.quiet()));
        assertTrue(missing.getMessage().startsWith("--data is required"), missing.getMessage());
    }
}
