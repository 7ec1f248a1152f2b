package org.tribuo.usae.examples;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every example's main runs on small data and says what the docs say it says. */
class ExamplesTest {
    @TempDir
    static Path tmp;
    static Path model;

    interface Main {
        void run() throws Exception;
    }

    static String run(Main main) throws Exception {
        PrintStream old = System.out;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            main.run();
        } finally {
            System.setOut(old);
        }
        String out = bytes.toString(StandardCharsets.UTF_8);
        old.print(out);
        return out;
    }

    @BeforeAll
    static void train() throws Exception {
        String out = run(() -> TrainExample.main(new String[]{tmp.resolve("train").toString(), "60"}));
        assertTrue(out.contains("Trained from .npy and from a Tribuo Dataset: same dictionary: true"), out);
        model = tmp.resolve("train/model.usae");
        assertTrue(Files.isRegularFile(model));
    }

    @Test
    void encodeDecode() throws Exception {
        String out = run(() -> EncodeDecodeExample.main(new String[]{model.toString(), tmp.resolve("train/acts").toString()}));
        assertTrue(out.contains("Token 0 of alpha: concepts") && out.contains("alpha -> gamma: explained variance"), out);
    }

    @Test
    void conceptFeatures() throws Exception {
        String out = run(() -> ConceptFeaturesExample.main(new String[]{model.toString()}));
        assertTrue(out.contains("held-out accuracy") && out.contains("USAE trainer:       org.tribuo.usae.train.UsaeTrainer"), out);
    }

    @Test
    void provenanceAudit() throws Exception {
        String out = run(() -> ProvenanceAuditExample.main(new String[]{tmp.resolve("audit").toString(), "30"}));
        assertTrue(out.contains("Retrained bit-identically: true"), out);
    }

    @Test
    void report() throws Exception {
        Path html = tmp.resolve("report.html");
        String out = run(() -> ReportExample.main(new String[]{model.toString(), tmp.resolve("train/acts").toString(),
                html.toString()}));
        assertTrue(Files.readString(html).contains("<html") && out.contains("Concepts shown:"), out);
    }
}
