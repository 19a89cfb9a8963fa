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
     * @param shape shape of one example
     * @param batch number of examples
     * @param data the values, not copied
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

    /**
     * A new zero-filled tensor.
     *
     * @param shape shape of one example
     * @param batch number of examples
     * @return the tensor
     */
    public static Tensor zeros(Shape shape, int batch) {
        return new Tensor(shape, batch, new float[Math.multiplyExact(batch, shape.size())]);
    }

    /** @return the shape of one example */
    public Shape shape() {
        return shape;
    }

    /** @return the number of examples */
    public int batch() {
        return batch;
    }

    /** @return the backing array, live; example {@code n} starts at {@link #offset(int) offset(n)} */
    public float[] data() {
        return data;
    }

    /**
     * @param example index of an example
     * @return where it starts in {@link #data()}
     */
    public int offset(int example) {
        return example * shape.size();
    }

    /**
     * @param n index of an example
     * @return a copy of its values
     */
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
     *
     * @return the matrix view
     */
    public FMatrixRMaj asMatrix() {
        return FMatrixRMaj.wrap(batch, shape.size(), data);
    }

    /**
     * @param values the array
     * @param offset first index to consider
     * @param length number of values to consider
     * @return the index (relative to {@code offset}) of the largest value; the first one on ties
     */
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
