package org.tribuo.usae.pipeline;

import com.oracle.labs.mlrg.olcut.config.Option;
import com.oracle.labs.mlrg.olcut.config.Options;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The options of a {@link Reporting} job, as OLCUT options: the analyses' own ({@link AnalysisOptions}), where the page
 * goes, and which concepts get example panels. {@code usae report} takes them as they are and adds its image and
 * browser options.
 */
public final class ReportingOptions implements Options {
    /** The analyses the report shows. */
    public AnalysisOptions analysis = new AnalysisOptions();
    @Option(charName = 'o', longName = "output", usage = "The HTML file (default: report.html in the model's folder).")
    public Path output;
    @Option(longName = "concepts", usage = "How many of the most important concepts (by energy) get example panels "
            + "(default 8).")
    public int concepts = 8;
    @Option(longName = "concept-ids", usage = "Comma-separated concept ids to show as well (before the top ones).")
    public List<String> conceptIds = List.of();
    @Option(longName = "examples", usage = "Top-activating inputs per concept (default 6).")
    public int examples = 6;

    /**
     * Checks the analysis options and the report's own counts before the model is read.
     * @throws IllegalArgumentException naming the first bad option, its value and what it expects.
     */
    public void validate() {
        analysis.validate();
        OptionChecks.atLeast("--concepts", concepts, 0, "a count", "0 shows no example panels; default 8");
        OptionChecks.atLeast("--examples", examples, 1, "a count", "default 6");
    }

    /**
     * @param numLatents the model's latent count.
     * @return {@code --concept-ids} as latents.
     * @throws IllegalArgumentException naming an id that is not a latent of the model.
     */
    public List<Integer> conceptIds(int numLatents) {
        List<Integer> ids = new ArrayList<>();
        for (String s : conceptIds) {
            try {
                int id = Integer.parseInt(s.strip());
                if (id < 0 || id >= numLatents) {
                    throw new NumberFormatException();
                }
                ids.add(id);
            } catch (NumberFormatException e) {
                throw OptionChecks.bad("--concept-ids", "'" + s + "'", "is not a concept id of this model",
                        "integers in [0, " + numLatents + ")");
            }
        }
        return ids;
    }
}
