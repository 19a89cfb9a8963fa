package org.nnlab.layer;

import org.nnlab.tensor.Shape;

/**
 * Softmax over the {@code classes} values of each example, and its cross-entropy loss.
 *
 * <p>Both subtract the row maximum first, so large logits never overflow. The loss is computed from the
 * logits as {@code logsumexp(z) - z[label]}, never as {@code -log(p)}, so it stays finite even when a
 * probability rounds to 0. Trained nets end in this layer; {@link #lossGradient} replaces the generic
 * {@link #backward} with the fused, exact {@code (p - onehot) / batch}.
 */
public final class Softmax extends Layer {
    private final int classes;

    /**
     * @param input shape of one example's logits; any shape, flattened to {@code classes} values
     * @throws IllegalArgumentException if there are fewer than 2 classes
     */
    public Softmax(Shape input) {
        super(input, Shape.vector(input.size()));
        this.classes = input.size();
        if (classes < 2) {
            throw new IllegalArgumentException("softmax needs at least 2 classes, got " + classes);
        }
    }

    /** @return the number of classes, the values per example */
    public int classes() {
        return classes;
    }

    @Override
    public void forward(Pass pass, float[] in, float[] out) {
        for (int n = 0; n < pass.batch(); n++) {
            int o = n * classes;
            float max = rowMax(in, o);
            double sum = 0;
            for (int i = 0; i < classes; i++) {
                double e = StrictMath.exp(in[o + i] - max);
                out[o + i] = (float) e;
                sum += e;
            }
            float inv = (float) (1.0 / sum);
            for (int i = 0; i < classes; i++) {
                out[o + i] *= inv;
            }
        }
    }

    /** The Jacobian-vector product {@code dz_i = p_i (g_i - sum_j g_j p_j)}, for softmax used mid-net. */
    @Override
    public void backward(Pass pass, float[] in, float[] out, float[] outGrad, float[] inGrad) {
        if (inGrad == null) {
            return;
        }
        for (int n = 0; n < pass.batch(); n++) {
            int o = n * classes;
            float dot = 0f;
            for (int i = 0; i < classes; i++) {
                dot += outGrad[o + i] * out[o + i];
            }
            for (int i = 0; i < classes; i++) {
                inGrad[o + i] = out[o + i] * (outGrad[o + i] - dot);
            }
        }
    }

    /**
     * Mean cross-entropy of the batch, from the logits {@code in} this layer was fed.
     *
     * @param in the logits, {@code batch x classes}
     * @param labels the true class of each example
     * @param batch number of examples
     * @return the mean over the batch of {@code logsumexp(z) - z[label]}
     * @throws IllegalArgumentException naming the example if a label is outside {@code [0, classes)}
     */
    public double loss(float[] in, int[] labels, int batch) {
        double total = 0;
        for (int n = 0; n < batch; n++) {
            int label = checkLabel(labels, n);
            int o = n * classes;
            float max = rowMax(in, o);
            double sum = 0;
            for (int i = 0; i < classes; i++) {
                sum += StrictMath.exp(in[o + i] - max);
            }
            total += StrictMath.log(sum) - (in[o + label] - max);
        }
        return total / batch;
    }

    /**
     * Writes the gradient of the mean cross-entropy with respect to the logits: {@code (p - onehot) / batch}.
     *
     * @param probabilities this layer's forward output, {@code batch x classes}
     * @param labels the true class of each example
     * @param batch number of examples
     * @param inGrad overwritten with the gradient, {@code batch x classes}
     * @throws IllegalArgumentException naming the example if a label is outside {@code [0, classes)}
     */
    public void lossGradient(float[] probabilities, int[] labels, int batch, float[] inGrad) {
        float scale = 1f / batch;
        for (int n = 0; n < batch; n++) {
            int label = checkLabel(labels, n);
            int o = n * classes;
            for (int i = 0; i < classes; i++) {
                inGrad[o + i] = (probabilities[o + i] - (i == label ? 1f : 0f)) * scale;
            }
        }
    }

    private float rowMax(float[] in, int offset) {
        float max = in[offset];
        for (int i = 1; i < classes; i++) {
            max = Math.max(max, in[offset + i]);
        }
        return max;
    }

    private int checkLabel(int[] labels, int n) {
        int label = labels[n];
        if (label < 0 || label >= classes) {
            throw new IllegalArgumentException("label of example " + n + " is " + label + ", expected a class in [0, "
                    + classes + ")");
        }
        return label;
    }
}
