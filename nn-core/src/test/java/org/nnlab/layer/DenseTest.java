package org.nnlab.layer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.ejml.data.FMatrixRMaj;
import org.ejml.dense.row.CommonOps_FDRM;
import org.nnlab.tensor.SeededRandom;
import org.nnlab.tensor.Shape;
import org.nnlab.tensor.Tensor;

class DenseTest {

    /** The wide (transposed row product) and narrow (dot) paths agree bit for bit, and with EJML closely. */
    @Property(tries = 30)
    void widePathEqualsDotPathAndEjml(@ForAll @IntRange(min = 32, max = 70) int units,
                                      @ForAll @IntRange(min = 1, max = 50) int inputs,
                                      @ForAll @IntRange(min = 1, max = 2) int threads, @ForAll long seed) {
        Dense dense = new Dense(Shape.vector(inputs), units);
        SeededRandom random = new SeededRandom(seed);
        dense.initialize(random);
        dense.fillBiases(0.1f);
        int batch = Dense.WIDE_BATCH + 2;
        float[] x = new float[batch * inputs];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) random.nextGaussian();
        }
        float[] wide = ForwardReferenceTest.forward(dense, batch, x, threads);
        float[] narrow = new float[batch * units];
        for (int n = 0; n < batch; n++) { // batches below WIDE_BATCH take the dot path
            float[] one = ForwardReferenceTest.forward(dense, 1, java.util.Arrays.copyOfRange(x, n * inputs,
                    (n + 1) * inputs), 1);
            System.arraycopy(one, 0, narrow, n * units, units);
        }
        assertArrayEquals(narrow, wide);

        FMatrixRMaj w = FMatrixRMaj.wrap(units, inputs, dense.parameters().get(0).value());
        FMatrixRMaj y = new FMatrixRMaj(batch, units);
        CommonOps_FDRM.multTransB(new Tensor(Shape.vector(inputs), batch, x).asMatrix(), w, y);
        for (int i = 0; i < y.data.length; i++) {
            y.data[i] += 0.1f;
        }
        assertArrayEquals(y.data, wide, 1e-4f * (1 + inputs));
    }
}
