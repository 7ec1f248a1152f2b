package org.tribuo.usae.interop;

import com.oracle.labs.mlrg.olcut.provenance.ListProvenance;
import com.oracle.labs.mlrg.olcut.provenance.ObjectProvenance;
import com.oracle.labs.mlrg.olcut.provenance.Provenance;
import com.oracle.labs.mlrg.olcut.provenance.ProvenanceException;
import com.oracle.labs.mlrg.olcut.provenance.primitives.StringProvenance;
import com.oracle.labs.mlrg.olcut.util.Pair;
import org.tribuo.provenance.DataProvenance;
import org.tribuo.usae.data.ModelFileProvenance;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Where an imported USAE came from: the format it was read from and, per model, the file with its size, kind,
 * {@code [m x d]} shape and the SHA-256 of the WHOLE file (not of a data section, as for activation files).
 */
public final class ImportSourceProvenance implements DataProvenance {
    private static final long serialVersionUID = 1L;
    static final String FORMAT = "format";
    static final String FILES = "files";

    private final StringProvenance className;
    private final StringProvenance format;
    private final ListProvenance<ModelFileProvenance> files;

    /**
     * @param format the import format ({@link ImportFormat#id()}).
     * @param files  per model, its file.
     */
    public ImportSourceProvenance(String format, List<ModelFileProvenance> files) {
        this.className = new StringProvenance(CLASS_NAME, ImportSourceProvenance.class.getName());
        this.format = new StringProvenance(FORMAT, format);
        this.files = new ListProvenance<>(List.copyOf(files));
    }

    /**
     * OLCUT unmarshalling constructor.
     * @param map the provenances by key.
     */
    @SuppressWarnings("unchecked")
    public ImportSourceProvenance(Map<String, Provenance> map) {
        String host = ImportSourceProvenance.class.getSimpleName();
        this.className = ObjectProvenance.checkAndExtractProvenance(map, CLASS_NAME, StringProvenance.class, host);
        this.format = ObjectProvenance.checkAndExtractProvenance(map, FORMAT, StringProvenance.class, host);
        ListProvenance<?> l = ObjectProvenance.checkAndExtractProvenance(map, FILES, ListProvenance.class, host);
        for (Provenance p : l) {
            if (!(p instanceof ModelFileProvenance)) {
                throw new ProvenanceException(host + ": files holds " + p.getClass().getName() + ", expected ModelFileProvenance");
            }
        }
        this.files = (ListProvenance<ModelFileProvenance>) l;
    }

    /** @return the import format. */
    public String format() {
        return format.getValue();
    }

    /** @return per model, its file. */
    public List<ModelFileProvenance> files() {
        return files.getList();
    }

    @Override
    public String getClassName() {
        return className.getValue();
    }

    @Override
    public Iterator<Pair<String, Provenance>> iterator() {
        List<Pair<String, Provenance>> out = new ArrayList<>();
        out.add(new Pair<>(CLASS_NAME, className));
        out.add(new Pair<>(FORMAT, format));
        out.add(new Pair<>(FILES, files));
        return out.iterator();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ImportSourceProvenance p && className.equals(p.className) && format.equals(p.format)
                && files.equals(p.files);
    }

    @Override
    public int hashCode() {
        return Objects.hash(className, format, files);
    }

    @Override
    public String toString() {
        return generateString("ImportSource");
    }
}
