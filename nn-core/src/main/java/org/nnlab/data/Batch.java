package org.nnlab.data;

import java.util.random.RandomGenerator;
import org.nnlab.tensor.Shape;
import org.nnlab.tensor.Tensor;

/** A reusable mini-batch buffer: up to {@code capacity} examples and their labels. */
public final class Batch {
    private final Shape shape;
    private final float[] inputs;
    private final int[] labels;
    private int size;

    /**
     * Allocates room for {@code capacity} examples; {@link #fill} reuses it for every batch.
     *
     * @param shape shape of one example
     * @param capacity the most examples a batch holds
     * @throws IllegalArgumentException if {@code capacity < 1}
     */
    public Batch(Shape shape, int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("batch capacity must be >= 1, got " + capacity);
        }
        this.shape = shape;
        this.inputs = new float[Math.multiplyExact(capacity, shape.size())];
        this.labels = new int[capacity];
    }

    /**
     * Fills the batch with {@code dataset} examples {@code order[from .. from+count)}.
     *
     * @param dataset where the examples come from; its shape must be this batch's shape
     * @param order indices into {@code dataset}
     * @param from first position in {@code order}
     * @param count number of examples, {@code 1 .. capacity()}
     * @param augmentation passed to {@link Dataset#copyExample}; null for the deterministic view
     * @return this batch
     * @throws IllegalArgumentException if {@code count} is not in {@code 1 .. capacity()}
     */
    public Batch fill(Dataset dataset, int[] order, int from, int count, RandomGenerator augmentation) {
        if (count < 1 || count > labels.length) {
            throw new IllegalArgumentException("batch of " + count + " does not fit capacity " + labels.length);
        }
        for (int i = 0; i < count; i++) {
            int index = order[from + i];
            dataset.copyExample(index, inputs, i * shape.size(), augmentation);
            labels[i] = dataset.label(index);
        }
        size = count;
        return this;
    }

    /** @return the shape of one example */
    public Shape shape() {
        return shape;
    }

    /** @return the number of examples filled by the last {@link #fill} */
    public int size() {
        return size;
    }

    /** @return the most examples this batch holds */
    public int capacity() {
        return labels.length;
    }

    /** @return the inputs, {@code size() x shape()}, live; longer than needed when the batch is not full */
    public float[] inputs() {
        return inputs;
    }

    /** @return the labels, live; only the first {@link #size()} are valid */
    public int[] labels() {
        return labels;
    }

    /** @return the filled part as a tensor view sharing this batch's array */
    public Tensor tensor() {
        return new Tensor(shape, size, inputs);
    }
}
