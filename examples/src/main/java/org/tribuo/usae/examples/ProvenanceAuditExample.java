package org.tribuo.usae.examples;

import com.oracle.labs.mlrg.olcut.config.ConfigurationManager;
import com.oracle.labs.mlrg.olcut.provenance.ProvenanceUtil;
import org.tribuo.usae.data.ActivationSet;
import org.tribuo.usae.data.ActivationSets;
import org.tribuo.usae.model.ModelFiles;
import org.tribuo.usae.model.UsaeModel;
import org.tribuo.usae.sae.ModelParameters;
import org.tribuo.usae.train.UsaeTrainer;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

/**
 * The provenance audit: a trained USAE is re-created from its provenance alone. The trainer's configuration is
 * extracted from the saved model ({@code ProvenanceUtil.extractConfiguration}), loaded into an OLCUT
 * {@code ConfigurationManager}, the trainer looked up, and re-run on the same data; every tensor of the new model
 * equals the saved one bit for bit.
 *
 * <p>{@code ./usae example audit <output folder> [steps]}
 */
public final class ProvenanceAuditExample {
    private ProvenanceAuditExample() {
    }

    /** @param args output folder, and optionally the steps (default 200). */
    public static void main(String[] args) throws Exception {
        Path out = Path.of(args[0]);
        long steps = args.length > 1 ? Long.parseLong(args[1]) : 200;
        Path data = SmallData.npyFolder(out.resolve("acts"), 3000);
        try (ActivationSet set = ActivationSets.open(data)) {
            UsaeModel original = SmallData.trainer(steps).train(set);
            ModelFiles.save(original, out.resolve("model.usae"));

            // the audit starts from the file alone
            UsaeModel saved = ModelFiles.load(out.resolve("model.usae"));
            ConfigurationManager cm = new ConfigurationManager();
            cm.addConfiguration(ProvenanceUtil.extractConfiguration(saved.getProvenance().getTrainerProvenance()));
            UsaeTrainer recreated = cm.lookupAll(UsaeTrainer.class).get(0);
            UsaeModel retrained = recreated.train(set);

            boolean identical = true;
            for (int i = 0; i < saved.parameters().numModels(); i++) {
                ModelParameters a = saved.parameters().model(i);
                ModelParameters b = retrained.parameters().model(i);
                for (Map.Entry<String, float[]> e : a.trainable().entrySet()) {
                    identical &= Arrays.equals(e.getValue(), b.get(e.getKey()));
                }
                identical &= a.mu() == b.mu() && a.sigma() == b.sigma();
            }
            System.out.println("Trainer re-created from the provenance: " + recreated);
            System.out.println("Data the provenance names: " + saved.getProvenance().getDatasetProvenance()
                    .getSourceProvenance().getClassName());
            System.out.println("Retrained bit-identically: " + identical);
            if (!identical) {
                throw new IllegalStateException("the re-created trainer trained a different model");
            }
        }
    }
}
