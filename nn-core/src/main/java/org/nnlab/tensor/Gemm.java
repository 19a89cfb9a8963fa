package org.nnlab.tensor;

/**
 * The matrix products behind convolution and dense layers, on row-major {@code float[]} slices.
 *
 * <p>Naming follows EJML: {@code mult} is {@code C = A B}, {@code multAdd} is {@code C += A B},
 * {@code TransA} means {@code A} is used transposed. The last argument is the output and is the only one
 * modified; it must not overlap an input.
 *
 * <p>Why hand-written: the long dimension ({@code n}, e.g. the 144 or 576 output pixels of a conv
 * layer) is innermost and contiguous, so C2 turns the loops into AVX/AVX-512 code; four rows of
 * {@code B} are folded per pass to cut loads and stores of {@code C}. Each {@code C} element is still
 * summed in plain index order, so results equal the textbook triple loop bit for bit (Java never fuses
 * multiply-add on its own). EJML's {@code CommonOps_FDRM} is the reference these are tested against;
 * see docs/design-notes.md for measurements.
 */
public final class Gemm {
    private Gemm() {
    }

    /**
     * {@code C[m x n] += A[m x k] * B[k x n]}.
     *
     * @param a   A, row-major at {@code aOff}, row stride {@code k}
     * @param b   B, row-major at {@code bOff}, row stride {@code n}
     * @param c   C, row-major at {@code cOff}, row stride {@code n}; modified
     */
    public static void multAdd(int m, int k, int n, float[] a, int aOff, float[] b, int bOff, float[] c, int cOff) {
        for (int i = 0; i < m; i++) {
            int ci = cOff + i * n;
            int ai = aOff + i * k;
            int p = 0;
            for (; p + 3 < k; p += 4) {
                float a0 = a[ai + p], a1 = a[ai + p + 1], a2 = a[ai + p + 2], a3 = a[ai + p + 3];
                int b0 = bOff + p * n, b1 = b0 + n, b2 = b1 + n, b3 = b2 + n;
                for (int j = 0; j < n; j++) {
                    c[ci + j] = c[ci + j] + a0 * b[b0 + j] + a1 * b[b1 + j] + a2 * b[b2 + j] + a3 * b[b3 + j];
                }
            }
            for (; p < k; p++) {
                float a0 = a[ai + p];
                int b0 = bOff + p * n;
                for (int j = 0; j < n; j++) {
                    c[ci + j] += a0 * b[b0 + j];
                }
            }
        }
    }

    /**
     * {@code C[k x n] = A[m x k]^T * B[m x n]}.
     *
     * @param a   A, row-major at {@code aOff}, row stride {@code k}
     * @param b   B, row-major at {@code bOff}, row stride {@code n}
     * @param c   C, row-major at {@code cOff}, row stride {@code n}; overwritten
     */
    public static void multTransA(int m, int k, int n, float[] a, int aOff, float[] b, int bOff, float[] c, int cOff) {
        for (int r = 0; r < k; r++) {
            int cr = cOff + r * n;
            java.util.Arrays.fill(c, cr, cr + n, 0f);
            int i = 0;
            for (; i + 3 < m; i += 4) {
                float a0 = a[aOff + i * k + r], a1 = a[aOff + (i + 1) * k + r];
                float a2 = a[aOff + (i + 2) * k + r], a3 = a[aOff + (i + 3) * k + r];
                int b0 = bOff + i * n, b1 = b0 + n, b2 = b1 + n, b3 = b2 + n;
                for (int j = 0; j < n; j++) {
                    c[cr + j] = c[cr + j] + a0 * b[b0 + j] + a1 * b[b1 + j] + a2 * b[b2 + j] + a3 * b[b3 + j];
                }
            }
            for (; i < m; i++) {
                float a0 = a[aOff + i * k + r];
                int b0 = bOff + i * n;
                for (int j = 0; j < n; j++) {
                    c[cr + j] += a0 * b[b0 + j];
                }
            }
        }
    }

    /** {@code y[yOff .. yOff+n) += alpha * x[xOff .. xOff+n)}. */
    public static void axpy(int n, float alpha, float[] x, int xOff, float[] y, int yOff) {
        for (int j = 0; j < n; j++) {
            y[yOff + j] += alpha * x[xOff + j];
        }
    }

    /** Dot product of {@code n} values, summed in index order. */
    public static float dot(int n, float[] x, int xOff, float[] y, int yOff) {
        float s = 0f;
        for (int j = 0; j < n; j++) {
            s += x[xOff + j] * y[yOff + j];
        }
        return s;
    }
}
