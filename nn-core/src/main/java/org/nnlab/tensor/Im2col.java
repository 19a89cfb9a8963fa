package org.nnlab.tensor;

/**
 * Unfolds convolution windows into matrix rows so a convolution becomes one matrix product, and folds
 * gradients back.
 *
 * <p>For one CHW example with {@code C} channels, a {@code K x K} kernel, stride {@code s} and zero
 * padding {@code pad}, the unfolded matrix has {@code C*K*K} rows (index {@code (c*K + ky)*K + kx}) and
 * {@code P = outH*outW} columns (index {@code oy*outW + ox}); entry = input at
 * {@code (c, oy*s + ky - pad, ox*s + kx - pad)}, or 0 in the padding.
 */
public final class Im2col {
    private final int channels, height, width, kernel, stride, pad, outHeight, outWidth;

    public Im2col(Shape input, int kernel, int stride, int pad, int outHeight, int outWidth) {
        this.channels = input.channels();
        this.height = input.height();
        this.width = input.width();
        this.kernel = kernel;
        this.stride = stride;
        this.pad = pad;
        this.outHeight = outHeight;
        this.outWidth = outWidth;
    }

    /** Rows of the unfolded matrix: {@code C*K*K}. */
    public int rows() {
        return channels * kernel * kernel;
    }

    /** Columns of the unfolded matrix: output pixels. */
    public int columns() {
        return outHeight * outWidth;
    }

    /** Writes the unfolded matrix {@code [C*K*K][P]} of the example at {@code in[inOff..]} into {@code col}. */
    public void unfold(float[] in, int inOff, float[] col) {
        int p = columns();
        int row = 0;
        for (int c = 0; c < channels; c++) {
            for (int ky = 0; ky < kernel; ky++) {
                for (int kx = 0; kx < kernel; kx++, row++) {
                    int lo = firstValid(kx, width), hi = endValid(kx, width);
                    for (int oy = 0; oy < outHeight; oy++) {
                        int dst = row * p + oy * outWidth;
                        int iy = oy * stride + ky - pad;
                        if (iy < 0 || iy >= height || lo >= hi) {
                            java.util.Arrays.fill(col, dst, dst + outWidth, 0f);
                            continue;
                        }
                        int src = inOff + (c * height + iy) * width + kx - pad;
                        java.util.Arrays.fill(col, dst, dst + lo, 0f);
                        for (int ox = lo; ox < hi; ox++) {
                            col[dst + ox] = in[src + ox * stride];
                        }
                        java.util.Arrays.fill(col, dst + hi, dst + outWidth, 0f);
                    }
                }
            }
        }
    }

    /** Writes the transposed unfolded matrix {@code [P][C*K*K]} into {@code colT}. */
    public void unfoldTransposed(float[] in, int inOff, float[] colT) {
        int r = rows();
        for (int oy = 0; oy < outHeight; oy++) {
            for (int ox = 0; ox < outWidth; ox++) {
                int dst = (oy * outWidth + ox) * r;
                for (int c = 0; c < channels; c++) {
                    for (int ky = 0; ky < kernel; ky++) {
                        int iy = oy * stride + ky - pad;
                        boolean rowInside = iy >= 0 && iy < height;
                        int src = inOff + (c * height + iy) * width + ox * stride - pad;
                        for (int kx = 0; kx < kernel; kx++, dst++) {
                            int ix = ox * stride + kx - pad;
                            colT[dst] = rowInside && ix >= 0 && ix < width ? in[src + kx] : 0f;
                        }
                    }
                }
            }
        }
    }

    /** Adds the unfolded gradient {@code col [C*K*K][P]} back onto the example gradient at {@code out[outOff..]}. */
    public void foldAdd(float[] col, float[] out, int outOff) {
        int p = columns();
        int row = 0;
        for (int c = 0; c < channels; c++) {
            for (int ky = 0; ky < kernel; ky++) {
                for (int kx = 0; kx < kernel; kx++, row++) {
                    int lo = firstValid(kx, width), hi = endValid(kx, width);
                    for (int oy = 0; oy < outHeight; oy++) {
                        int iy = oy * stride + ky - pad;
                        if (iy < 0 || iy >= height) {
                            continue;
                        }
                        int src = row * p + oy * outWidth;
                        int dst = outOff + (c * height + iy) * width + kx - pad;
                        for (int ox = lo; ox < hi; ox++) {
                            out[dst + ox * stride] += col[src + ox];
                        }
                    }
                }
            }
        }
    }

    /** First output column whose input column {@code ox*stride + kx - pad} is inside the image. */
    private int firstValid(int kx, int size) {
        int need = pad - kx; // ox*stride >= need
        int lo = need <= 0 ? 0 : (need + stride - 1) / stride;
        return Math.min(lo, outWidth);
    }

    /** One past the last output column whose input column is inside the image. */
    private int endValid(int kx, int size) {
        int limit = size - 1 + pad - kx; // ox*stride <= limit
        if (limit < 0) {
            return 0;
        }
        return Math.min(outWidth, limit / stride + 1);
    }
}
