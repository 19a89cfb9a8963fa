package org.nnlab.data;

import java.util.random.RandomGenerator;
import org.nnlab.tensor.Shape;

/**
 * Labelled examples for classification: what the {@link org.nnlab.train.Trainer} consumes.
 *
 * <p>A dataset may augment: {@link #copyExample} gets a random stream during training (e.g. for a
 * random crop) and {@code null} for evaluation, where the example must be deterministic (e.g. the
 * centre crop). Implementations must not allocate per example.
 */
public interface Dataset {

    /** Number of examples. */
    int size();

    /** Shape of every example as delivered by {@link #copyExample}. */
    Shape shape();

    /** Number of classes; labels are in {@code [0, numClasses())}. */
    int numClasses();

    /** The class of example {@code index}. */
    int label(int index);

    /**
     * Writes example {@code index} ({@code shape().size()} floats, CHW) into {@code dst} at {@code offset}.
     *
     * @param augmentation random stream for training-time augmentation, or null for the deterministic view
     */
    void copyExample(int index, float[] dst, int offset, RandomGenerator augmentation);
}
