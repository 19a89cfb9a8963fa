package org.nnlab.tensor;

import java.util.Arrays;
import org.ejml.data.FMatrixRMaj;

/**
 * A batch of examples of one {@link Shape}, stored in one contiguous {@code float[]}.
 *
 * <p>Example {@code n} occupies {@code data[n * shape.size() .. (n + 1) * shape.size())}, laid out as
 * described in {@link Shape}. The array is shared, not copied: a tensor is a view of the caller's data.
 */
public final class Tensor {
    private final Shape shape;
    private final int batch;
    private final float[] data;

    /**
     * Wraps {@code data} as {@code batch} examples of {@code shape}.
     *
     * @throws IllegalArgumentException if {@code data} holds fewer than {@code batch * shape.size()} floats
     */
    public Tensor(Shape shape, int batch, float[] data) {
        if (batch < 0) {
            throw new IllegalArgumentException("batch size must be >= 0, got " + batch);
        }
        long needed = (long) batch * shape.size();
        if (data.length < needed) {
            throw new IllegalArgumentException("tensor of " + batch + " x " + shape + " needs " + needed
                    + " floats, the array has " + data.length);
        }
        this.shape = shape;
        this.batch = batch;
        this.data = data;
    }

    /** A new zero-filled tensor. */
    public static Tensor zeros(Shape shape, int batch) {
        return new Tensor(shape, batch, new float[Math.multiplyExact(batch, shape.size())]);
    }

    public Shape shape() {
        return shape;
    }

    public int batch() {
        return batch;
    }

    /** The backing array; example {@code n} starts at {@link #offset(int) offset(n)}. */
    public float[] data() {
        return data;
    }

    public int offset(int example) {
        return example * shape.size();
    }

    /** A copy of one example's values. */
    public float[] example(int n) {
        if (n < 0 || n >= batch) {
            throw new IndexOutOfBoundsException("example " + n + " of a batch of " + batch);
        }
        return Arrays.copyOfRange(data, offset(n), offset(n + 1));
    }

    /**
     * This batch as an EJML matrix, one row per example ({@code batch x shape.size()}), sharing this
     * tensor's array: for linear algebra on inputs or outputs (e.g. PCA of features) with EJML's ops.
     * Writes through either view are seen by both.
     */
    public FMatrixRMaj asMatrix() {
        return FMatrixRMaj.wrap(batch, shape.size(), data);
    }

    /** Index of the largest of {@code values[offset .. offset+length)}; the first one on ties. */
    public static int argmax(float[] values, int offset, int length) {
        int best = 0;
        for (int i = 1; i < length; i++) {
            if (values[offset + i] > values[offset + best]) {
                best = i;
            }
        }
        return best;
    }

    @Override
    public String toString() {
        return "Tensor[" + batch + " x " + shape + "]";
    }
}
