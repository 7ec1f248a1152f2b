package org.tribuo.usae.interop;

import com.oracle.labs.mlrg.olcut.provenance.ListProvenance;
import com.oracle.labs.mlrg.olcut.provenance.Provenance;
import org.tribuo.provenance.DatasetProvenance;

import java.util.Map;

/**
 * The Tribuo dataset provenance of an imported USAE: no rows were trained on here; the source is the imported files
 * ({@link ImportSourceProvenance}), and the feature count the summed model widths.
 */
public final class ImportedDatasetProvenance extends DatasetProvenance {
    private static final long serialVersionUID = 1L;

    /**
     * @param source     the imported files.
     * @param totalWidth the summed model widths.
     */
    public ImportedDatasetProvenance(ImportSourceProvenance source, int totalWidth) {
        super(source, new ListProvenance<>(), DictionaryImport.class.getName(), true, false, 0, totalWidth, 0);
    }

    /**
     * For OLCUT unmarshalling.
     * @param map provenance fields.
     */
    public ImportedDatasetProvenance(Map<String, Provenance> map) {
        super(map);
    }
}
