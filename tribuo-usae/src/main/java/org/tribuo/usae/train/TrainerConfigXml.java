package org.tribuo.usae.train;

import com.oracle.labs.mlrg.olcut.config.ConfigurationManager;
import com.oracle.labs.mlrg.olcut.provenance.ProvenanceUtil;
import org.tribuo.provenance.TrainerProvenance;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * A trainer's configuration, recovered from its provenance, as OLCUT XML: loading it with
 * {@code usae train -c} re-creates the run (recorded in checkpoints and next to every trained model).
 */
public final class TrainerConfigXml {
    private TrainerConfigXml() {
    }

    /**
     * @param provenance the trainer's provenance (taken before its invocation counter moved).
     * @return the OLCUT XML configuration.
     * @throws UncheckedIOException if OLCUT cannot write it.
     */
    public static String of(TrainerProvenance provenance) {
        ConfigurationManager cm = new ConfigurationManager();
        cm.addConfiguration(ProvenanceUtil.extractConfiguration(provenance));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            cm.save(bytes, "xml", true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the trainer configuration as XML: " + e.getMessage(), e);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
