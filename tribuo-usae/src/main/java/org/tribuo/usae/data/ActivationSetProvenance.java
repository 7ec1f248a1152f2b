package org.tribuo.usae.data;

import com.oracle.labs.mlrg.olcut.provenance.ListProvenance;
import com.oracle.labs.mlrg.olcut.provenance.ObjectProvenance;
import com.oracle.labs.mlrg.olcut.provenance.Provenance;
import com.oracle.labs.mlrg.olcut.provenance.ProvenanceException;
import com.oracle.labs.mlrg.olcut.provenance.primitives.LongProvenance;
import com.oracle.labs.mlrg.olcut.provenance.primitives.StringProvenance;
import com.oracle.labs.mlrg.olcut.util.Pair;
import org.tribuo.provenance.DataProvenance;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Provenance of an activation set: its folder ("" for in-memory sets), row count and one
 * {@link ModelFileProvenance} per model in set order. Survives OLCUT marshalling.
 */
public final class ActivationSetProvenance implements DataProvenance {
    private static final long serialVersionUID = 1L;
    static final String FOLDER = "folder";
    static final String ROWS = "rows";
    static final String MODELS = "models";

    private final StringProvenance className;
    private final StringProvenance folder;
    private final LongProvenance rows;
    private final ListProvenance<ModelFileProvenance> models;

    /**
     * @param implClass the ActivationSet implementation.
     * @param folder    the folder, or "" for in-memory data.
     * @param rows      row count.
     * @param models    per-model provenance in set order.
     */
    public ActivationSetProvenance(Class<? extends ActivationSet> implClass, String folder, long rows,
                                   List<ModelFileProvenance> models) {
        this.className = new StringProvenance(CLASS_NAME, implClass.getName());
        this.folder = new StringProvenance(FOLDER, folder);
        this.rows = new LongProvenance(ROWS, rows);
        this.models = new ListProvenance<>(List.copyOf(models));
    }

    /**
     * OLCUT unmarshalling constructor.
     * @param map the provenances by key.
     */
    @SuppressWarnings("unchecked")
    public ActivationSetProvenance(Map<String, Provenance> map) {
        String host = ActivationSetProvenance.class.getSimpleName();
        this.className = ObjectProvenance.checkAndExtractProvenance(map, CLASS_NAME, StringProvenance.class, host);
        this.folder = ObjectProvenance.checkAndExtractProvenance(map, FOLDER, StringProvenance.class, host);
        this.rows = ObjectProvenance.checkAndExtractProvenance(map, ROWS, LongProvenance.class, host);
        ListProvenance<?> l = ObjectProvenance.checkAndExtractProvenance(map, MODELS, ListProvenance.class, host);
        for (Provenance p : l) {
            if (!(p instanceof ModelFileProvenance)) {
                throw new ProvenanceException(host + ": models holds " + p.getClass().getName() + ", expected ModelFileProvenance");
            }
        }
        this.models = (ListProvenance<ModelFileProvenance>) l;
    }

    /** @return per-model provenance. */
    public List<ModelFileProvenance> models() {
        return models.getList();
    }

    /** @return row count. */
    public long rows() {
        return rows.getValue();
    }

    /** @return the folder, "" for in-memory sets. */
    public String folder() {
        return folder.getValue();
    }

    @Override
    public String getClassName() {
        return className.getValue();
    }

    @Override
    public Iterator<Pair<String, Provenance>> iterator() {
        List<Pair<String, Provenance>> l = new ArrayList<>();
        l.add(new Pair<>(CLASS_NAME, className));
        l.add(new Pair<>(FOLDER, folder));
        l.add(new Pair<>(ROWS, rows));
        l.add(new Pair<>(MODELS, models));
        return l.iterator();
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof ActivationSetProvenance p)) {
            return false;
        }
        return className.equals(p.className) && folder.equals(p.folder) && rows.equals(p.rows) && models.equals(p.models);
    }

    @Override
    public int hashCode() {
        return Objects.hash(className, folder, rows, models);
    }

    @Override
    public String toString() {
        return generateString("ActivationSet");
    }
}
