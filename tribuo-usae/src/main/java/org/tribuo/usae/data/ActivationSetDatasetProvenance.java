package org.tribuo.usae.data;

import com.oracle.labs.mlrg.olcut.provenance.ListProvenance;
import com.oracle.labs.mlrg.olcut.provenance.Provenance;
import org.tribuo.provenance.DatasetProvenance;

import java.util.Map;

/**
 * The Tribuo dataset provenance of training on an activation set: the set's own provenance (files,
 * sizes, hashes) as the source, dense, with the row count and the summed model widths. Tribuo's
 * {@code ModelProvenance} needs a {@link DatasetProvenance}; an activation set is not a Tribuo
 * {@code Dataset}, so this subclass supplies one.
 */
public final class ActivationSetDatasetProvenance extends DatasetProvenance {
    private static final long serialVersionUID = 1L;

    /**
     * @param set the activation set.
     * @param rowsUsed rows the consumer used (e.g. training rows).
     */
    public ActivationSetDatasetProvenance(ActivationSet set, long rowsUsed) {
        super(set.provenance(), new ListProvenance<>(), set.getClass().getName(), true, false,
                (int) Math.min(Integer.MAX_VALUE, rowsUsed), totalWidth(set), 0);
    }

    /**
     * For OLCUT unmarshalling.
     * @param map provenance fields.
     */
    public ActivationSetDatasetProvenance(Map<String, Provenance> map) {
        super(map);
    }

    private static int totalWidth(ActivationSet set) {
        int total = 0;
        for (int i = 0; i < set.numModels(); i++) {
            total += set.dim(i);
        }
        return total;
    }
}
