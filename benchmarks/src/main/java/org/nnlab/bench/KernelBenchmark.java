package org.nnlab.bench;

import java.util.concurrent.TimeUnit;
import org.ejml.data.FMatrixRMaj;
import org.ejml.dense.row.CommonOps_FDRM;
import org.nnlab.tensor.Gemm;
import org.nnlab.tensor.SeededRandom;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@code C += A B} at two shapes, three ways: nnlab's {@link Gemm} on row arrays, the same loop on flat
 * arrays with offsets (the rejected form, kept here to measure), and EJML's {@code CommonOps_FDRM.multAdd}.
 * Shapes: "conv2" = the lab's second conv per example (16 x 200 x 144), "dense" = 64 x 784 x 512.
 * GFLOPS = 2*m*k*n / time.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class KernelBenchmark {

    @Param({"conv2", "dense"})
    public String shape;

    @Param({"rows", "flat", "ejml"})
    public String form;

    private int m, k, n;
    private float[] a, bFlat, cFlat;
    private float[][] bRows, cRows;
    private FMatrixRMaj ea, eb, ec;

    @Setup(Level.Trial)
    public void setUp() {
        m = shape.equals("conv2") ? 16 : 64;
        k = shape.equals("conv2") ? 200 : 784;
        n = shape.equals("conv2") ? 144 : 512;
        SeededRandom random = new SeededRandom(1);
        a = fill(new float[m * k], random);
        bFlat = fill(new float[k * n], random);
        cFlat = new float[m * n];
        bRows = new float[k][];
        for (int p = 0; p < k; p++) {
            bRows[p] = java.util.Arrays.copyOfRange(bFlat, p * n, (p + 1) * n);
        }
        cRows = new float[m][n];
        ea = FMatrixRMaj.wrap(m, k, a);
        eb = FMatrixRMaj.wrap(k, n, bFlat);
        ec = FMatrixRMaj.wrap(m, n, cFlat);
    }

    private static float[] fill(float[] x, SeededRandom random) {
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (random.nextDouble() - 0.5);
        }
        return x;
    }

    @Benchmark
    public float multAdd() {
        switch (form) {
            case "rows" -> {
                Gemm.multAdd(m, k, n, a, 0, bRows, cRows);
                return cRows[0][0];
            }
            case "flat" -> {
                flatMultAdd(m, k, n, a, bFlat, cFlat);
                return cFlat[0];
            }
            default -> {
                CommonOps_FDRM.multAdd(ea, eb, ec);
                return cFlat[0];
            }
        }
    }

    /** The same loop as Gemm.multAdd on flat arrays with offsets: C2 does not vectorise it. */
    private static void flatMultAdd(int m, int k, int n, float[] a, float[] b, float[] c) {
        for (int i = 0; i < m; i++) {
            int ci = i * n, ai = i * k;
            int p = 0;
            for (; p + 3 < k; p += 4) {
                float a0 = a[ai + p], a1 = a[ai + p + 1], a2 = a[ai + p + 2], a3 = a[ai + p + 3];
                int b0 = p * n, b1 = b0 + n, b2 = b1 + n, b3 = b2 + n;
                for (int j = 0; j < n; j++) {
                    c[ci + j] = c[ci + j] + a0 * b[b0 + j] + a1 * b[b1 + j] + a2 * b[b2 + j] + a3 * b[b3 + j];
                }
            }
            for (; p < k; p++) {
                float a0 = a[ai + p];
                for (int j = 0; j < n; j++) {
                    c[ci + j] += a0 * b[p * n + j];
                }
            }
        }
    }
}
