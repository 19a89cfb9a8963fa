package org.nnlab.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.ejml.data.FMatrixRMaj;
import org.ejml.dense.row.CommonOps_FDRM;

/** The fast kernels against EJML (the reference) and against the textbook loop, bit for bit. */
class GemmTest {

    @Property(tries = 80)
    void multAddMatchesEjmlAndTheTripleLoop(@ForAll @IntRange(min = 1, max = 20) int m,
                                            @ForAll @IntRange(min = 1, max = 30) int k,
                                            @ForAll @IntRange(min = 1, max = 2 * Gemm.SHORT_ROWS) int n,
                                            @ForAll @IntRange(min = 0, max = 5) int aOff, @ForAll long seed) {
        SeededRandom random = new SeededRandom(seed);
        float[] a = randoms(aOff + m * k, random);
        float[][] b = randomRows(k, n, random);
        float[][] c = randomRows(m, n, random);
        float[] naive = new float[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                float s = c[i][j];
                for (int p = 0; p < k; p++) {
                    s += a[aOff + i * k + p] * b[p][j];
                }
                naive[i * n + j] = s;
            }
        }
        FMatrixRMaj ea = new FMatrixRMaj(m, k), eb = new FMatrixRMaj(k, n), ec = new FMatrixRMaj(m, n);
        System.arraycopy(a, aOff, ea.data, 0, m * k);
        for (int p = 0; p < k; p++) {
            System.arraycopy(b[p], 0, eb.data, p * n, n);
        }
        for (int i = 0; i < m; i++) {
            System.arraycopy(c[i], 0, ec.data, i * n, n);
        }
        CommonOps_FDRM.multAdd(ea, eb, ec);

        Gemm.multAdd(m, k, n, a, aOff, b, c);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                assertEquals(naive[i * n + j], c[i][j], 0f, "bitwise equal to the index-order loop at " + i + "," + j);
                assertEquals(ec.get(i, j), c[i][j], 1e-4f * (1 + Math.abs(ec.get(i, j))), "EJML at " + i + "," + j);
            }
        }
    }

    @Property(tries = 50)
    void multTransAMatchesEjml(@ForAll @IntRange(min = 1, max = 20) int m, @ForAll @IntRange(min = 1, max = 30) int k,
                               @ForAll @IntRange(min = 1, max = 40) int n, @ForAll long seed) {
        SeededRandom random = new SeededRandom(seed);
        float[] a = randoms(m * k, random);
        float[][] b = randomRows(m, n, random);
        float[][] c = new float[k][n];
        for (float[] row : c) {
            java.util.Arrays.fill(row, Float.NaN); // must be overwritten, not added to
        }
        Gemm.multTransA(m, k, n, a, 0, b, c);

        FMatrixRMaj ea = new FMatrixRMaj(m, k, true, a), eb = new FMatrixRMaj(m, n), ec = new FMatrixRMaj(k, n);
        for (int i = 0; i < m; i++) {
            System.arraycopy(b[i], 0, eb.data, i * n, n);
        }
        CommonOps_FDRM.multTransA(ea, eb, ec);
        for (int r = 0; r < k; r++) {
            float[] expected = new float[n];
            System.arraycopy(ec.data, r * n, expected, 0, n);
            assertArrayEquals(expected, c[r], 1e-4f * (1 + maxAbs(expected)), "row " + r);
        }
    }

    /**
     * The convolutions' product: bitwise the index-order loop, with a fused multiply-add per term when
     * the Vector API kernel is on (the "vector-api" surefire run) and plain {@code *}, {@code +} when off.
     * Sizes cross the kernel's 4-row and 2-vector blocks and its tails.
     */
    @Property(tries = 80)
    void multAddFastIsTheIndexOrderChain(@ForAll @IntRange(min = 1, max = 11) int m,
                                         @ForAll @IntRange(min = 1, max = 30) int k,
                                         @ForAll @IntRange(min = 1, max = 80) int n,
                                         @ForAll @IntRange(min = 0, max = 5) int aOff, @ForAll long seed) {
        SeededRandom random = new SeededRandom(seed);
        float[] a = randoms(aOff + m * k, random);
        float[][] b = randomRows(k, n, random);
        float[][] c = randomRows(m, n, random);
        float[][] expected = new float[m][n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                float s = c[i][j];
                for (int p = 0; p < k; p++) {
                    float x = a[aOff + i * k + p], y = b[p][j];
                    s = Gemm.vectorized() ? Math.fma(x, y, s) : s + x * y;
                }
                expected[i][j] = s;
            }
        }
        Gemm.multAddFast(m, k, n, a, aOff, b, c);
        for (int i = 0; i < m; i++) {
            assertArrayEquals(expected[i], c[i], 0f, "row " + i + (Gemm.vectorized() ? " (Vector API)" : ""));
        }
    }

    /**
     * Skipping A's zeros changes no bit against {@link Gemm#multAdd} (B finite, C without -0), for
     * sparsities from none to all zeros, signed zeros in A included, short and long rows.
     */
    @Property(tries = 80)
    void multAddSparseAEqualsMultAdd(@ForAll @IntRange(min = 1, max = 12) int m,
                                     @ForAll @IntRange(min = 1, max = 40) int k,
                                     @ForAll @IntRange(min = 1, max = 2 * Gemm.SHORT_ROWS) int n,
                                     @ForAll @IntRange(min = 0, max = 5) int aOff,
                                     @ForAll @IntRange(min = 0, max = 100) int percentZeros, @ForAll long seed) {
        SeededRandom random = new SeededRandom(seed);
        float[] a = randoms(aOff + m * k, random);
        for (int i = aOff; i < a.length; i++) {
            if (random.nextInt(100) < percentZeros) {
                a[i] = random.nextBoolean() ? 0f : -0f;
            }
        }
        float[][] b = randomRows(k, n, random);
        float[][] c = randomRows(m, n, random);
        for (int i = 0; i < m; i++) {
            c[i][random.nextInt(n)] = 0f; // +0 stays +0 either way
        }
        float[][] expected = new float[m][];
        for (int i = 0; i < m; i++) {
            expected[i] = c[i].clone();
        }
        Gemm.multAdd(m, k, n, a, aOff, b, expected);
        Gemm.multAddSparseA(m, k, n, a, aOff, b, c, new int[k]);
        for (int i = 0; i < m; i++) {
            assertArrayEquals(expected[i], c[i], 0f, "row " + i);
        }
    }

    @org.junit.jupiter.api.Test
    void theVectorApiRunReallyUsesIt() {
        boolean moduleOn = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
        assertEquals(moduleOn && !"false".equals(System.getProperty("nnlab.vector")), Gemm.vectorized());
        System.out.println("GemmTest: Vector API kernel " + (Gemm.vectorized() ? "ON" : "off"));
    }

    private static float maxAbs(float[] x) {
        float m = 0;
        for (float v : x) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }

    private static float[][] randomRows(int rows, int n, SeededRandom random) {
        float[][] x = new float[rows][];
        for (int i = 0; i < rows; i++) {
            x[i] = randoms(n, random);
        }
        return x;
    }

    private static float[] randoms(int n, SeededRandom random) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (random.nextDouble() * 2 - 1);
        }
        return x;
    }
}
