package org.tribuo.usae.features;

import org.tribuo.usae.metrics.labels.Pooling;
import com.oracle.labs.mlrg.olcut.provenance.ObjectProvenance;
import com.oracle.labs.mlrg.olcut.provenance.Provenance;
import com.oracle.labs.mlrg.olcut.provenance.primitives.StringProvenance;
import com.oracle.labs.mlrg.olcut.util.Pair;
import org.tribuo.provenance.DataProvenance;
import org.tribuo.provenance.ModelProvenance;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The source of a dataset of concept features: the dataset it was encoded from (its own provenance, whole), the USAE
 * that encoded it (its model provenance, whole: trainer, configuration and training data), which of the USAE's
 * models read the examples, and how tokens were pooled. A Tribuo model trained on such a dataset carries all of it
 * in its {@code ModelProvenance}.
 */
public final class ConceptFeaturesProvenance implements DataProvenance {
    private static final long serialVersionUID = 1L;
    static final String SOURCE = "source";
    static final String USAE = "usae";
    static final String MODEL = "model";
    static final String POOLING = "pooling";

    private final StringProvenance className;
    private final DataProvenance source;
    private final ModelProvenance usae;
    private final StringProvenance model;
    private final StringProvenance pooling;

    /**
     * @param source  the encoded dataset's provenance.
     * @param usae    the USAE's provenance.
     * @param model   the USAE model that read the examples.
     * @param pooling how tokens pooled.
     */
    public ConceptFeaturesProvenance(DataProvenance source, ModelProvenance usae, String model, Pooling pooling) {
        this.className = new StringProvenance(CLASS_NAME, ConceptFeaturesProvenance.class.getName());
        this.source = Objects.requireNonNull(source, "source");
        this.usae = Objects.requireNonNull(usae, "usae");
        this.model = new StringProvenance(MODEL, model);
        this.pooling = new StringProvenance(POOLING, pooling.name());
    }

    /**
     * OLCUT unmarshalling constructor.
     * @param map the provenances by key.
     */
    public ConceptFeaturesProvenance(Map<String, Provenance> map) {
        String host = ConceptFeaturesProvenance.class.getSimpleName();
        this.className = ObjectProvenance.checkAndExtractProvenance(map, CLASS_NAME, StringProvenance.class, host);
        this.source = ObjectProvenance.checkAndExtractProvenance(map, SOURCE, DataProvenance.class, host);
        this.usae = ObjectProvenance.checkAndExtractProvenance(map, USAE, ModelProvenance.class, host);
        this.model = ObjectProvenance.checkAndExtractProvenance(map, MODEL, StringProvenance.class, host);
        this.pooling = ObjectProvenance.checkAndExtractProvenance(map, POOLING, StringProvenance.class, host);
    }

    /** @return the encoded dataset's provenance. */
    public DataProvenance source() {
        return source;
    }

    /** @return the USAE's provenance. */
    public ModelProvenance usae() {
        return usae;
    }

    /** @return the USAE model that read the examples. */
    public String model() {
        return model.getValue();
    }

    @Override
    public String getClassName() {
        return className.getValue();
    }

    @Override
    public Iterator<Pair<String, Provenance>> iterator() {
        List<Pair<String, Provenance>> out = new ArrayList<>();
        out.add(new Pair<>(CLASS_NAME, className));
        out.add(new Pair<>(SOURCE, source));
        out.add(new Pair<>(USAE, usae));
        out.add(new Pair<>(MODEL, model));
        out.add(new Pair<>(POOLING, pooling));
        return out.iterator();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ConceptFeaturesProvenance p && className.equals(p.className) && source.equals(p.source)
                && usae.equals(p.usae) && model.equals(p.model) && pooling.equals(p.pooling);
    }

    @Override
    public int hashCode() {
        return Objects.hash(className, source, usae, model, pooling);
    }

    @Override
    public String toString() {
        return generateString("ConceptFeatures");
    }
}
