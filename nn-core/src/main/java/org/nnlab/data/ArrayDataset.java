package org.nnlab.data;

import java.util.random.RandomGenerator;
import org.nnlab.tensor.Shape;

/** An in-memory dataset: examples back to back in one {@code float[]} and one label each. No augmentation. */
public final class ArrayDataset implements Dataset {
    private final Shape shape;
    private final float[] examples;
    private final int[] labels;
    private final int numClasses;

    /**
     * Wraps the arrays without copying; the dataset reads them on every access.
     *
     * @param shape shape of one example
     * @param examples {@code labels.length x shape.size()} values, examples back to back, each CHW
     * @param labels the class of each example
     * @param numClasses number of classes
     * @throws IllegalArgumentException if the array sizes disagree or a label is outside {@code [0, numClasses)}
     */
    public ArrayDataset(Shape shape, float[] examples, int[] labels, int numClasses) {
        if ((long) labels.length * shape.size() != examples.length) {
            throw new IllegalArgumentException(labels.length + " labels need " + (long) labels.length * shape.size()
                    + " values of " + shape + ", got " + examples.length);
        }
        if (numClasses < 1) {
            throw new IllegalArgumentException("numClasses must be >= 1, got " + numClasses);
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= numClasses) {
                throw new IllegalArgumentException("label of example " + i + " is " + labels[i]
                        + ", expected a class in [0, " + numClasses + ")");
            }
        }
        this.shape = shape;
        this.examples = examples;
        this.labels = labels;
        this.numClasses = numClasses;
    }

    @Override
    public int size() {
        return labels.length;
    }

    @Override
    public Shape shape() {
        return shape;
    }

    @Override
    public int numClasses() {
        return numClasses;
    }

    @Override
    public int label(int index) {
        return labels[index];
    }

    @Override
    public void copyExample(int index, float[] dst, int offset, RandomGenerator augmentation) {
        System.arraycopy(examples, index * shape.size(), dst, offset, shape.size());
    }
}
