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

    /** @return the number of examples */
    int size();

    /** @return the shape of every example as delivered by {@link #copyExample} */
    Shape shape();

    /** @return the number of classes; labels are in {@code [0, numClasses())} */
    int numClasses();

    /**
     * @param index example index in {@code [0, size())}
     * @return the class of example {@code index}
     */
    int label(int index);

    /**
     * Writes example {@code index} ({@code shape().size()} floats, CHW) into {@code dst} at {@code offset}.
     *
     * @param index example index in {@code [0, size())}
     * @param dst destination; {@code shape().size()} floats from {@code offset} are overwritten
     * @param offset where in {@code dst} the example starts
     * @param augmentation random stream for training-time augmentation, or null for the deterministic view
     */
    void copyExample(int index, float[] dst, int offset, RandomGenerator augmentation);
}
