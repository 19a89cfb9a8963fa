package org.nnlab.tensor;

/**
 * The matrix products behind convolution and dense layers.
 *
 * <p>Naming follows EJML: {@code multAdd} is {@code C += A B}, {@code TransA} means {@code A} is used
 * transposed. The last argument is the output and the only one modified; it must not share rows with an
 * input. {@code A} is a row-major slice of a flat array (read one scalar at a time); {@code B} and
 * {@code C} are arrays of rows.
 *
 * <p>Why rows: C2 only vectorises {@code c[j] += a * b[j]} when it can rule out overlap between the
 * arrays, and with two offsets into flat arrays that may be the same object it cannot. With separate
 * row arrays indexed from 0 the loop vectorises (AVX-512 here): 35-38 GFLOPS against 7-8 for the same
 * loop on flat arrays with offsets (conv2 shapes, one core; docs/design-notes.md). Four rows of
 * {@code B} are folded per pass to save loads and stores of {@code C}, yet each {@code C} element is
 * summed in plain index order, so results equal the textbook triple loop bit for bit (Java never fuses
 * a multiply-add on its own).
 */
public final class Gemm {
    /**
     * Callers make their rows a multiple of this many floats (one AVX-512 register) where they can, so
     * the products have no scalar tail: the Vector API kernel spent a fifth of a training step in its
     * tails before (docs/design-notes.md).
     */
    public static final int LANES = 16;

    /**
     * Whether {@link #multAddFast} uses the Vector API kernel: when the JVM was started with
     * {@code --add-modules jdk.incubator.vector}, unless {@code -Dnnlab.vector=false}.
     */
    private static final Kernel VECTOR = loadVectorKernel();

    /** A {@code C += A B} implementation; the optional one lives in {@code VectorGemm}. */
    interface Kernel {
        void multAdd(int m, int k, int n, float[] a, int aOff, float[][] b, float[][] c);
    }

    /** Loaded by name, so nothing links against the incubator module unless the JVM has it. */
    private static Kernel loadVectorKernel() {
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()
                || "false".equals(System.getProperty("nnlab.vector"))) {
            return null;
        }
        try {
            return (Kernel) Class.forName("org.nnlab.tensor.VectorGemm").getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException | LinkageError e) {
            throw new IllegalStateException("jdk.incubator.vector is present but nnlab's kernel for it failed to load",
                    e);
        }
    }

    private Gemm() {
    }

    /**
     * @return true if {@link #multAddFast} runs on the incubating Vector API (an opt-in: the JVM was
     *     started with {@code --add-modules jdk.incubator.vector}); false for the plain loops every
     *     Java 17 runtime vectorises
     */
    public static boolean vectorized() {
        return VECTOR != null;
    }

    /**
     * {@code C[m x n] += A[m x k] * B[k x n]}, the convolutions' product: {@link #multAdd} unless
     * {@link #vectorized()}, then a register-blocked Vector API kernel that sums each element as a
     * chain of fused multiply-adds in index order (about 3x faster at the lab's shapes; same results
     * for any thread count, but not bitwise those of {@link #multAdd}).
     *
     * @param m rows of A and C
     * @param k columns of A, rows of B
     * @param n columns of B and C
     * @param a A, row-major in {@code a} from {@code aOff}, row stride {@code k}
     * @param aOff where A starts in {@code a}
     * @param b B as {@code k} rows of at least {@code n}
     * @param c C as {@code m} rows of at least {@code n}; modified
     */
    public static void multAddFast(int m, int k, int n, float[] a, int aOff, float[][] b, float[][] c) {
        if (VECTOR != null) {
            VECTOR.multAdd(m, k, n, a, aOff, b, c);
        } else {
            multAdd(m, k, n, a, aOff, b, c);
        }
    }

    /**
     * {@link #multAddFast} for a mostly-zero {@code A} (a convolution's output gradient): the Vector API
     * kernel when it is on (dense, its own rounding), else {@link #multAddSparseA}, which skips the zero
     * terms and gives {@link #multAdd}'s bits.
     *
     * @param m rows of A and C
     * @param k columns of A, rows of B
     * @param n columns of B and C
     * @param a A, row-major in {@code a} from {@code aOff}, row stride {@code k}
     * @param aOff where A starts in {@code a}
     * @param b B as {@code k} rows of at least {@code n}
     * @param c C as {@code m} rows of at least {@code n}; modified
     * @param nonzero scratch of at least {@code k} ints; overwritten
     */
    public static void multAddFastSparseA(int m, int k, int n, float[] a, int aOff, float[][] b, float[][] c,
                                          int[] nonzero) {
        if (VECTOR != null) {
            VECTOR.multAdd(m, k, n, a, aOff, b, c);
        } else {
            multAddSparseA(m, k, n, a, aOff, b, c, nonzero);
        }
    }

    /**
     * {@code C[m x n] += A[m x k] * B[k x n]}.
     *
     * @param m rows of A and C
     * @param k columns of A, rows of B
     * @param n columns of B and C
     * @param a A, row-major in {@code a} from {@code aOff}, row stride {@code k}
     * @param aOff where A starts in {@code a}
     * @param b B as {@code k} rows of at least {@code n}
     * @param c C as {@code m} rows of at least {@code n}; modified
     */
    public static void multAdd(int m, int k, int n, float[] a, int aOff, float[][] b, float[][] c) {
        // Blocks of four rows of B outermost: the block and all of C stay in L1 while the block is
        // applied to every row of C, instead of streaming all of B from L2 once per row of C
        // (12-20 % faster at the lab's shapes, docs/design-notes.md). Each C element still receives
        // its terms in index order.
        int p = 0;
        for (; p + 3 < k; p += 4) {
            float[] b0 = b[p], b1 = b[p + 1], b2 = b[p + 2], b3 = b[p + 3];
            for (int i = 0; i < m; i++) {
                float[] ci = c[i];
                int ai = aOff + i * k + p;
                float a0 = a[ai], a1 = a[ai + 1], a2 = a[ai + 2], a3 = a[ai + 3];
                for (int j = 0; j < n; j++) {
                    ci[j] = ci[j] + a0 * b0[j] + a1 * b1[j] + a2 * b2[j] + a3 * b3[j];
                }
            }
        }
        for (; p < k; p++) {
            float[] b0 = b[p];
            for (int i = 0; i < m; i++) {
                float[] ci = c[i];
                float a0 = a[aOff + i * k + p];
                for (int j = 0; j < n; j++) {
                    ci[j] += a0 * b0[j];
                }
            }
        }
    }

    /**
     * Rows shorter than this take their own copy of {@link #multAddSparseA}'s loops. C2 compiles a loop
     * once, shaped (unrolling, pre- and post-loops) by the trip counts it profiled at that bytecode;
     * sharing one loop with the 208-float rows of the lab's second conv, the first conv's 32-float rows
     * ran mostly in its scalar pre- and post-loops (35 µs per example in a training step, 13 µs with
     * their own copy, docs/design-notes.md).
     */
    static final int SHORT_ROWS = 64;

    /**
     * {@code C[m x n] += A[m x k] * B[k x n]}, skipping the zero entries of {@code A}: for a convolution's
     * weight gradient, whose {@code A} is the output gradient, mostly zeros after max pooling (one
     * nonzero per window) and ReLU (in the lab, 41 -> 19 µs per example for both convolutions,
     * docs/design-notes.md). The nonzero terms of each row are gathered and applied four rows of
     * {@code B} per pass, each {@code C} element receiving them in index order. So the result equals
     * {@link #multAdd}'s bit for bit whenever {@code B} is finite and {@code C} holds no {@code -0}
     * (a zero term changes neither {@code +0} nor any nonzero value); with an infinity or NaN in
     * {@code B}, the skipped {@code 0 * inf} terms would have made NaN.
     *
     * @param m rows of A and C
     * @param k columns of A, rows of B
     * @param n columns of B and C
     * @param a A, row-major in {@code a} from {@code aOff}, row stride {@code k}
     * @param aOff where A starts in {@code a}
     * @param b B as {@code k} rows of at least {@code n}
     * @param c C as {@code m} rows of at least {@code n}; modified
     * @param nonzero scratch of at least {@code k} ints; overwritten
     */
    public static void multAddSparseA(int m, int k, int n, float[] a, int aOff, float[][] b, float[][] c,
                                      int[] nonzero) {
        // two copies of the same loops, see SHORT_ROWS
        if (n < SHORT_ROWS) {
            sparseShortRows(m, k, n, a, aOff, b, c, nonzero);
        } else {
            sparseLongRows(m, k, n, a, aOff, b, c, nonzero);
        }
    }

    private static void sparseShortRows(int m, int k, int n, float[] a, int aOff, float[][] b, float[][] c,
                                   int[] nonzero) {
        for (int i = 0; i < m; i++) {
            float[] ci = c[i];
            int row = aOff + i * k, count = 0;
            for (int p = 0; p < k; p++) {
                nonzero[count] = p; // written always, kept only when nonzero: no branch to mispredict
                count += a[row + p] != 0f ? 1 : 0;
            }
            int q = 0;
            for (; q + 3 < count; q += 4) {
                int p0 = nonzero[q], p1 = nonzero[q + 1], p2 = nonzero[q + 2], p3 = nonzero[q + 3];
                float a0 = a[row + p0], a1 = a[row + p1], a2 = a[row + p2], a3 = a[row + p3];
                float[] b0 = b[p0], b1 = b[p1], b2 = b[p2], b3 = b[p3];
                for (int j = 0; j < n; j++) {
                    ci[j] = ci[j] + a0 * b0[j] + a1 * b1[j] + a2 * b2[j] + a3 * b3[j];
                }
            }
            for (; q < count; q++) {
                int p0 = nonzero[q];
                float a0 = a[row + p0];
                float[] b0 = b[p0];
                for (int j = 0; j < n; j++) {
                    ci[j] += a0 * b0[j];
                }
            }
        }
    }

    private static void sparseLongRows(int m, int k, int n, float[] a, int aOff, float[][] b, float[][] c,
                                   int[] nonzero) {
        for (int i = 0; i < m; i++) {
            float[] ci = c[i];
            int row = aOff + i * k, count = 0;
            for (int p = 0; p < k; p++) {
                nonzero[count] = p;
                count += a[row + p] != 0f ? 1 : 0;
            }
            int q = 0;
            for (; q + 3 < count; q += 4) {
                int p0 = nonzero[q], p1 = nonzero[q + 1], p2 = nonzero[q + 2], p3 = nonzero[q + 3];
                float a0 = a[row + p0], a1 = a[row + p1], a2 = a[row + p2], a3 = a[row + p3];
                float[] b0 = b[p0], b1 = b[p1], b2 = b[p2], b3 = b[p3];
                for (int j = 0; j < n; j++) {
                    ci[j] = ci[j] + a0 * b0[j] + a1 * b1[j] + a2 * b2[j] + a3 * b3[j];
                }
            }
            for (; q < count; q++) {
                int p0 = nonzero[q];
                float a0 = a[row + p0];
                float[] b0 = b[p0];
                for (int j = 0; j < n; j++) {
                    ci[j] += a0 * b0[j];
                }
            }
        }
    }

    /**
     * {@code C[k x n] = A[m x k]^T * B[m x n]}.
     *
     * @param m rows of A and B
     * @param k columns of A, rows of C
     * @param n columns of B and C
     * @param a A, row-major in {@code a} from {@code aOff}, row stride {@code k}
     * @param aOff where A starts in {@code a}
     * @param b B as {@code m} rows of at least {@code n}
     * @param c C as {@code k} rows of at least {@code n}; overwritten
     */
    public static void multTransA(int m, int k, int n, float[] a, int aOff, float[][] b, float[][] c) {
        for (int r = 0; r < k; r++) {
            float[] cr = c[r];
            java.util.Arrays.fill(cr, 0, n, 0f);
            int i = 0;
            for (; i + 3 < m; i += 4) {
                float a0 = a[aOff + i * k + r], a1 = a[aOff + (i + 1) * k + r];
                float a2 = a[aOff + (i + 2) * k + r], a3 = a[aOff + (i + 3) * k + r];
                float[] b0 = b[i], b1 = b[i + 1], b2 = b[i + 2], b3 = b[i + 3];
                for (int j = 0; j < n; j++) {
                    cr[j] = cr[j] + a0 * b0[j] + a1 * b1[j] + a2 * b2[j] + a3 * b3[j];
                }
            }
            for (; i < m; i++) {
                float a0 = a[aOff + i * k + r];
                float[] b0 = b[i];
                for (int j = 0; j < n; j++) {
                    cr[j] += a0 * b0[j];
                }
            }
        }
    }

    /**
     * Copies {@code count} rows of {@code n} from flat {@code src} at {@code off} into {@code rows}.
     *
     * @param src row-major source
     * @param off where the first row starts in {@code src}
     * @param n values per row
     * @param rows destination rows, each at least {@code n} long; overwritten
     * @param count number of rows
     */
    public static void toRows(float[] src, int off, int n, float[][] rows, int count) {
        for (int i = 0; i < count; i++) {
            System.arraycopy(src, off + i * n, rows[i], 0, n);
        }
    }

    /**
     * {@code y[yOff .. yOff+n) += alpha * x[xOff .. xOff+n)}.
     *
     * @param n number of values
     * @param alpha factor on {@code x}
     * @param x source
     * @param xOff where the values start in {@code x}
     * @param y destination; modified
     * @param yOff where the values start in {@code y}
     */
    public static void axpy(int n, float alpha, float[] x, int xOff, float[] y, int yOff) {
        for (int j = 0; j < n; j++) {
            y[yOff + j] += alpha * x[xOff + j];
        }
    }
}
