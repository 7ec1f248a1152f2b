package org.tribuo.usae.report;

import org.tribuo.provenance.ModelProvenance;
import org.tribuo.provenance.impl.EmptyDatasetProvenance;
import org.tribuo.provenance.impl.EmptyTrainerProvenance;
import org.tribuo.usae.model.UsaeModel;
import org.tribuo.usae.sae.Architecture;
import org.tribuo.usae.sae.DictionaryConstraint;
import org.tribuo.usae.sae.EncoderKind;
import org.tribuo.usae.sae.ModelParameters;
import org.tribuo.usae.sae.SparsityKind;
import org.tribuo.usae.sae.UsaeParameters;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * A USAE whose codes are the inputs themselves: affine encoders with the identity weight, no biases,
 * mu = 0 and sigma + 1e-5 = 1, so concept c of a row is ReLU(x_c) whenever it is among the row's top k.
 */
final class IdentityModels {
    private IdentityModels() {
    }

    static UsaeModel identity(List<String> names, int dim, int k) {
        Architecture arch = new Architecture(dim, k, EncoderKind.AFFINE, SparsityKind.TOPK, false,
                DictionaryConstraint.ROW_NORMALIZED);
        List<ModelParameters> models = new ArrayList<>();
        for (String n : names) {
            ModelParameters p = new ModelParameters(n, dim, arch);
            for (int i = 0; i < dim; i++) {
                p.encoderWeight()[i * dim + i] = 1f;
                p.dictionary()[i * dim + i] = 1f;
            }
            p.setStandardization(0, 1 - ModelParameters.STANDARDIZE_EPS);
            models.add(p);
        }
        return UsaeModel.create("identity", new ModelProvenance(UsaeModel.class.getName(), OffsetDateTime.now(),
                new EmptyDatasetProvenance(), new EmptyTrainerProvenance()), new UsaeParameters(arch, models));
    }
}
