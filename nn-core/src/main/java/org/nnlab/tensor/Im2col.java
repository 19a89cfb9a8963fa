package org.nnlab.tensor;

import java.util.Arrays;

/**
 * Unfolds convolution windows into matrix rows so a convolution becomes one matrix product, and folds
 * gradients back.
 *
 * <p>For one CHW example with {@code C} channels, a {@code K x K} kernel, stride {@code s} and zero
 * padding {@code pad}, the unfolded matrix has {@code C*K*K} rows (index {@code (c*K + ky)*K + kx});
 * entry = input at {@code (c, oy*s + ky - pad, ox*s + kx - pad)}, or 0 in the padding. Output pixel
 * {@code (oy, ox)} is column {@code oy * rowStride() + ox}.
 *
 * <p>For stride 1 the matrix is "wide": {@code rowStride()} is the padded input width, as if every
 * output row were as wide as a padded input row. Then row {@code (c, ky, kx)} is one contiguous slice
 * of the padded channel plane, starting at {@code ky * paddedWidth + kx}: one {@code arraycopy}
 * instead of one per output row. The {@code paddedWidth - outWidth} extra columns per output row are
 * computed by the product and dropped by {@link #toOutput}; for the lab's 12x12 second conv that is 192
 * columns (188, rounded up to {@link Gemm#LANES}) for 144 pixels, and it still wins
 * (docs/design-notes.md). Other strides use the plain layout, {@code rowStride() = outWidth}.
 *
 * <p>Each call first copies the example into a zero-bordered buffer, so the unfolding loops need no
 * bounds tests. One instance holds those buffers: use one per thread.
 */
public final class Im2col {
    private final int channels, height, width, kernel, stride, pad, outHeight, outWidth;
    private final int paddedHeight, paddedWidth, rowStride, productColumns;
    private final float[] padded, channelsLast;

    /**
     * @param input shape of one example
     * @param kernel kernel height and width
     * @param stride step between kernel positions
     * @param pad zero padding on every side
     * @param outHeight output height, as the convolution computed it
     * @param outWidth output width, as the convolution computed it
     */
    public Im2col(Shape input, int kernel, int stride, int pad, int outHeight, int outWidth) {
        this.channels = input.channels();
        this.height = input.height();
        this.width = input.width();
        this.kernel = kernel;
        this.stride = stride;
        this.pad = pad;
        this.outHeight = outHeight;
        this.outWidth = outWidth;
        this.paddedHeight = height + 2 * pad;
        this.paddedWidth = width + 2 * pad;
        this.rowStride = stride == 1 ? paddedWidth : outWidth;
        int used = (outHeight - 1) * rowStride + outWidth;
        this.productColumns = stride == 1 ? (used + Gemm.LANES - 1) / Gemm.LANES * Gemm.LANES : used;
        // wide rows are read up to productColumns past their start: the last channel's may run this far over
        this.padded = new float[channels * paddedHeight * paddedWidth + productColumns - used];
        this.channelsLast = new float[channels * paddedHeight * paddedWidth];
    }

    /** @return the rows of the unfolded matrix: {@code C*K*K} */
    public int rows() {
        return channels * kernel * kernel;
    }

    /** @return the output pixels, {@code outHeight * outWidth} */
    public int columns() {
        return outHeight * outWidth;
    }

    /**
     * @return the columns {@link #unfold} writes and {@link #foldAdd} reads: {@code outHeight * outWidth},
     *     or for stride 1 the wide form's {@code (outHeight - 1) * paddedWidth + outWidth} rounded up to a
     *     multiple of {@link Gemm#LANES}
     */
    public int productColumns() {
        return productColumns;
    }

    /**
     * Writes the unfolded matrix of the example at {@code in[inOff..]} (see the class comment).
     *
     * @param in holds the example, CHW
     * @param inOff where the example starts
     * @param col {@link #rows()} rows of at least {@link #productColumns()}; overwritten
     */
    public void unfold(float[] in, int inOff, float[][] col) {
        fillPadded(in, inOff);
        int plane = paddedHeight * paddedWidth, row = 0;
        for (int c = 0; c < channels; c++) {
            for (int ky = 0; ky < kernel; ky++) {
                for (int kx = 0; kx < kernel; kx++, row++) {
                    float[] dst = col[row];
                    if (stride == 1) {
                        System.arraycopy(padded, c * plane + ky * paddedWidth + kx, dst, 0, productColumns);
                        continue;
                    }
                    for (int oy = 0; oy < outHeight; oy++) {
                        int src = (c * paddedHeight + oy * stride + ky) * paddedWidth + kx;
                        for (int ox = 0, d = oy * outWidth; ox < outWidth; ox++) {
                            dst[d + ox] = padded[src + ox * stride];
                        }
                    }
                }
            }
        }
    }

    /**
     * Copies the output pixels of rows laid out like the unfolded matrix's columns (the product of a
     * matrix with {@link #unfold}'s output) into CHW order: {@code count} channels of
     * {@code outHeight x outWidth}.
     *
     * @param rows one row per channel, at least {@link #productColumns()} long
     * @param count number of rows
     * @param dst receives {@code count * outHeight * outWidth} values
     * @param off where they start in {@code dst}
     */
    public void toOutput(float[][] rows, int count, float[] dst, int off) {
        for (int f = 0; f < count; f++) {
            for (int oy = 0; oy < outHeight; oy++) {
                System.arraycopy(rows[f], oy * rowStride, dst, off + (f * outHeight + oy) * outWidth, outWidth);
            }
        }
    }

    /**
     * Writes the transposed unfolded matrix, {@code P} rows of {@code C*K*K}, with its columns in window
     * order: column {@code (ky*K + kx)*C + c} (not the {@link #unfold} row order {@code (c*K + ky)*K + kx}).
     * In that order each window row is one run of {@code K*C} values of a channels-last copy of the
     * example, copied at once, where the {@code (c, ky, kx)} order needs {@code C} runs of {@code K}
     * (for the lab's second conv, 40 floats instead of 8 runs of 5: 12.7 → 5 µs per example,
     * docs/design-notes.md).
     *
     * @param in holds the example, CHW
     * @param inOff where the example starts
     * @param colT {@link #columns()} rows of at least {@link #rows()}; overwritten
     */
    public void unfoldTransposed(float[] in, int inOff, float[][] colT) {
        fillChannelsLast(in, inOff);
        int run = kernel * channels;
        for (int oy = 0; oy < outHeight; oy++) {
            for (int ox = 0; ox < outWidth; ox++) {
                float[] dst = colT[oy * outWidth + ox];
                for (int ky = 0; ky < kernel; ky++) {
                    int src = ((oy * stride + ky) * paddedWidth + ox * stride) * channels;
                    copyRun(channelsLast, src, dst, ky * run, run);
                }
            }
        }
    }

    /**
     * Adds the unfolded gradient ({@code C*K*K} rows laid out as {@link #unfold} writes them) onto the
     * example gradient at {@code out[outOff..]}: each input position receives the sum of the entries it
     * was unfolded into.
     *
     * @param col the gradient with respect to the unfolded matrix
     * @param out the example gradient, CHW; added to
     * @param outOff where the example starts
     */
    public void foldAdd(float[][] col, float[] out, int outOff) {
        Arrays.fill(padded, 0f);
        int row = 0;
        for (int c = 0; c < channels; c++) {
            for (int ky = 0; ky < kernel; ky++) {
                for (int kx = 0; kx < kernel; kx++, row++) {
                    float[] src = col[row];
                    for (int oy = 0; oy < outHeight; oy++) {
                        int dst = (c * paddedHeight + oy * stride + ky) * paddedWidth + kx;
                        int s = oy * rowStride;
                        for (int ox = 0; ox < outWidth; ox++) {
                            padded[dst + ox * stride] += src[s + ox];
                        }
                    }
                }
            }
        }
        for (int c = 0; c < channels; c++) {
            for (int y = 0; y < height; y++) {
                int p = (c * paddedHeight + y + pad) * paddedWidth + pad;
                int o = outOff + (c * height + y) * width;
                for (int x = 0; x < width; x++) {
                    out[o + x] += padded[p + x];
                }
            }
        }
    }

    /**
     * {@code length} floats. Runs of 5 and 3 (single-channel 5x5 and 3x3 kernels) are written out: a
     * loop of 5, or an {@code arraycopy} call, took twice as long in this hot loop (30 vs 14 µs per
     * example for the lab's second conv before the runs were whole window rows).
     */
    private static void copyRun(float[] src, int s, float[] dst, int d, int length) {
        switch (length) {
            case 5 -> {
                dst[d] = src[s];
                dst[d + 1] = src[s + 1];
                dst[d + 2] = src[s + 2];
                dst[d + 3] = src[s + 3];
                dst[d + 4] = src[s + 4];
            }
            case 3 -> {
                dst[d] = src[s];
                dst[d + 1] = src[s + 1];
                dst[d + 2] = src[s + 2];
            }
            default -> System.arraycopy(src, s, dst, d, length);
        }
    }

    /** The example zero-padded, channels last: {@code (y, x, c)} at {@code (y * paddedWidth + x) * C + c}. */
    private void fillChannelsLast(float[] in, int inOff) {
        Arrays.fill(channelsLast, 0f);
        for (int c = 0; c < channels; c++) {
            for (int y = 0; y < height; y++) {
                int src = inOff + (c * height + y) * width;
                int dst = ((y + pad) * paddedWidth + pad) * channels + c;
                if (channels == 1) {
                    System.arraycopy(in, src, channelsLast, dst, width);
                    continue;
                }
                for (int x = 0; x < width; x++) {
                    channelsLast[dst + x * channels] = in[src + x];
                }
            }
        }
    }

    private void fillPadded(float[] in, int inOff) {
        if (pad == 0) {
            System.arraycopy(in, inOff, padded, 0, channels * height * width);
            return;
        }
        Arrays.fill(padded, 0f); // cheap next to the unfolding; keeps the border zero whatever came before
        for (int c = 0; c < channels; c++) {
            for (int y = 0; y < height; y++) {
                System.arraycopy(in, inOff + (c * height + y) * width, padded,
                        (c * paddedHeight + y + pad) * paddedWidth + pad, width);
            }
        }
    }
}
