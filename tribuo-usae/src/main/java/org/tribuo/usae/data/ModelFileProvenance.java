package org.tribuo.usae.data;

import com.oracle.labs.mlrg.olcut.provenance.ListProvenance;
import com.oracle.labs.mlrg.olcut.provenance.ObjectProvenance;
import com.oracle.labs.mlrg.olcut.provenance.Provenance;
import com.oracle.labs.mlrg.olcut.provenance.primitives.HashProvenance;
import com.oracle.labs.mlrg.olcut.provenance.primitives.LongProvenance;
import com.oracle.labs.mlrg.olcut.provenance.primitives.StringProvenance;
import com.oracle.labs.mlrg.olcut.util.Pair;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Provenance of one model's activations: name, file, byte size, dtype, shape and the SHA-256 of
 * the data section (float32 little-endian bytes for in-memory sets).
 */
public final class ModelFileProvenance implements ObjectProvenance {
    private static final long serialVersionUID = 1L;
    static final String MODEL = "model";
    static final String FILE = "file";
    static final String BYTES = "bytes";
    static final String DTYPE = "dtype";
    static final String SHAPE = "shape";
    static final String SHA256 = "sha256";

    private final StringProvenance className;
    private final StringProvenance model;
    private final StringProvenance file;
    private final LongProvenance bytes;
    private final StringProvenance dtype;
    private final ListProvenance<LongProvenance> shape;
    private final HashProvenance sha256;

    /**
     * @param model  model name.
     * @param file   file name ("" for in-memory data).
     * @param bytes  file size in bytes (data bytes for in-memory data).
     * @param dtype  numpy descr.
     * @param rows   rows.
     * @param dim    width.
     * @param sha256 hex SHA-256 of the data section.
     */
    public ModelFileProvenance(String model, String file, long bytes, String dtype, long rows, int dim, String sha256) {
        this.className = new StringProvenance(CLASS_NAME, ModelFileProvenance.class.getName());
        this.model = new StringProvenance(MODEL, model);
        this.file = new StringProvenance(FILE, file);
        this.bytes = new LongProvenance(BYTES, bytes);
        this.dtype = new StringProvenance(DTYPE, dtype);
        this.shape = new ListProvenance<>(List.of(new LongProvenance(SHAPE, rows), new LongProvenance(SHAPE, dim)));
        this.sha256 = new HashProvenance(DEFAULT_HASH_TYPE, SHA256, sha256);
    }

    /**
     * OLCUT unmarshalling constructor.
     * @param map the provenances by key.
     */
    @SuppressWarnings("unchecked")
    public ModelFileProvenance(Map<String, Provenance> map) {
        String host = ModelFileProvenance.class.getSimpleName();
        this.className = ObjectProvenance.checkAndExtractProvenance(map, CLASS_NAME, StringProvenance.class, host);
        this.model = ObjectProvenance.checkAndExtractProvenance(map, MODEL, StringProvenance.class, host);
        this.file = ObjectProvenance.checkAndExtractProvenance(map, FILE, StringProvenance.class, host);
        this.bytes = ObjectProvenance.checkAndExtractProvenance(map, BYTES, LongProvenance.class, host);
        this.dtype = ObjectProvenance.checkAndExtractProvenance(map, DTYPE, StringProvenance.class, host);
        ListProvenance<?> s = ObjectProvenance.checkAndExtractProvenance(map, SHAPE, ListProvenance.class, host);
        for (Provenance p : s) {
            if (!(p instanceof LongProvenance)) {
                throw new com.oracle.labs.mlrg.olcut.provenance.ProvenanceException(host + ": shape holds " + p.getClass().getName() + ", expected LongProvenance");
            }
        }
        this.shape = (ListProvenance<LongProvenance>) s;
        this.sha256 = ObjectProvenance.checkAndExtractProvenance(map, SHA256, HashProvenance.class, host);
    }

    /** @return model name. */
    public String model() {
        return model.getValue();
    }

    /** @return the file name ("" for in-memory data). */
    public String file() {
        return file.getValue();
    }

    /** @return hex SHA-256 of the data section. */
    public String sha256() {
        return sha256.getValue();
    }

    @Override
    public String getClassName() {
        return className.getValue();
    }

    @Override
    public Iterator<Pair<String, Provenance>> iterator() {
        List<Pair<String, Provenance>> l = new ArrayList<>();
        l.add(new Pair<>(CLASS_NAME, className));
        l.add(new Pair<>(MODEL, model));
        l.add(new Pair<>(FILE, file));
        l.add(new Pair<>(BYTES, bytes));
        l.add(new Pair<>(DTYPE, dtype));
        l.add(new Pair<>(SHAPE, shape));
        l.add(new Pair<>(SHA256, sha256));
        return l.iterator();
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof ModelFileProvenance p)) {
            return false;
        }
        return className.equals(p.className) && model.equals(p.model) && file.equals(p.file) && bytes.equals(p.bytes)
                && dtype.equals(p.dtype) && shape.equals(p.shape) && sha256.equals(p.sha256);
    }

    @Override
    public int hashCode() {
        return Objects.hash(className, model, file, bytes, dtype, shape, sha256);
    }

    @Override
    public String toString() {
        return generateString("ModelFile");
    }
}
