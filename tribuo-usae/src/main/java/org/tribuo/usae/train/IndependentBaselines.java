package org.tribuo.usae.train;

import com.oracle.labs.mlrg.olcut.config.ConfigurationData;
import com.oracle.labs.mlrg.olcut.config.ConfigurationManager;
import com.oracle.labs.mlrg.olcut.config.property.Property;
import com.oracle.labs.mlrg.olcut.config.property.SimpleProperty;
import com.oracle.labs.mlrg.olcut.provenance.ProvenanceUtil;
import org.tribuo.usae.data.ActivationSet;
import org.tribuo.usae.data.ActivationSets;
import org.tribuo.usae.model.UsaeModel;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Trains the independent per-model SAEs of the consistency analysis (docs/metrics.md, "Concepts"), "with the same recipe": for each model of a
 * USAE, an M = 1 run of the USAE's own trainer (re-created from the model's provenance, or given by the
 * caller) on that model's activations alone. The paper gives no hyperparameters for these SAEs; the
 * recreated trainer keeps every resolved option of the USAE run, fixes m to the USAE's m (an unset
 * {@code numLatents} would otherwise resolve to 8 x this model's width) and applies the caller's
 * overrides (e.g. fewer steps).
 */
public final class IndependentBaselines {
    private IndependentBaselines() {
    }

    /**
     * Re-creates the trainer that produced a model, with overrides.
     *
     * @param usae a model trained by {@link UsaeTrainer} (its provenance is read).
     * @param overrides trainer option name to value (OLCUT strings), e.g. {@code steps -> 500}; applied last.
     * @return a fresh trainer (invocation count 0) whose {@code numLatents} is the USAE's m unless overridden.
     * @throws IllegalArgumentException when the provenance holds no UsaeTrainer or an override names no option.
     */
    public static UsaeTrainer trainerFromProvenance(UsaeModel usae, Map<String, String> overrides) {
        List<ConfigurationData> config = ProvenanceUtil.extractConfiguration(usae.getProvenance().getTrainerProvenance());
        ConfigurationData trainer = config.stream()
                .filter(c -> c.getClassName().equals(UsaeTrainer.class.getName()))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("Model '" + usae.getName() + "' was not trained by "
                        + UsaeTrainer.class.getSimpleName() + " (its trainer provenance is "
                        + usae.getProvenance().getTrainerProvenance().getClassName() + "); pass a trainer instead"));
        Map<String, Property> props = new LinkedHashMap<>(trainer.getProperties());
        props.put("numLatents", new SimpleProperty(Integer.toString(usae.parameters().architecture().numLatents())));
        for (Map.Entry<String, String> e : overrides.entrySet()) {
            if (!props.containsKey(e.getKey())) {
                throw new IllegalArgumentException("Override '" + e.getKey() + "' is not an option of the recorded "
                        + "trainer; known options: " + new TreeSet<>(props.keySet()));
            }
            props.put(e.getKey(), new SimpleProperty(e.getValue()));
        }
        List<ConfigurationData> edited = new ArrayList<>();
        for (ConfigurationData c : config) {
            edited.add(c == trainer ? new ConfigurationData(c.getName(), c.getClassName(), props) : c);
        }
        ConfigurationManager cm = new ConfigurationManager();
        cm.addConfiguration(edited);
        return (UsaeTrainer) cm.lookup(trainer.getName());
    }

    /**
     * @param usae the USAE whose recipe is re-used (see {@link #trainerFromProvenance}).
     * @param set activations holding every model of the USAE (matched by name).
     * @param overrides trainer options to change, e.g. steps.
     * @return per USAE model (model order), an M = 1 model trained on that model alone.
     */
    public static List<UsaeModel> train(UsaeModel usae, ActivationSet set, Map<String, String> overrides) {
        return train(usae, set, trainerFromProvenance(usae, overrides));
    }

    /**
     * @param usae the USAE (only its model names are read).
     * @param set activations holding every model of the USAE (matched by name).
     * @param trainer trains each baseline in turn (its invocation count advances per model); for the
     *     consistency analysis its m must be at least the number of USAE concepts compared.
     * @return per USAE model (model order), an M = 1 model trained on that model alone.
     */
    public static List<UsaeModel> train(UsaeModel usae, ActivationSet set, UsaeTrainer trainer) {
        List<UsaeModel> out = new ArrayList<>();
        for (String name : usae.modelNames()) {
            try (ActivationSet one = ActivationSets.select(set, name)) {
                out.add(trainer.train(one));
            }
        }
        return out;
    }
}
