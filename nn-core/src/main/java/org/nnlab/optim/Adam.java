package org.nnlab.optim;

import java.util.List;
import org.nnlab.layer.Parameter;

/**
 * Adam (Kingma and Ba 2015) with bias correction, at step {@code t = 1, 2, ...}:
 * <pre>
 *   m = b1 m + (1 - b1) g;   v = b2 v + (1 - b2) g^2
 *   x -= lr (m / (1 - b1^t)) / (sqrt(v / (1 - b2^t)) + eps)
 * </pre>
 * Defaults lr = 0.001, b1 = 0.9, b2 = 0.999, eps = 1e-8.
 */
public final class Adam implements Optimizer {
    private final float learningRate, beta1, beta2, eps;
    private final ParameterState state = new ParameterState(2);
    private long step;

    /** The usual defaults: lr 0.001, betas 0.9 and 0.999, eps 1e-8. */
    public Adam() {
        this(0.001);
    }

    /**
     * With betas 0.9 and 0.999, eps 1e-8.
     *
     * @param learningRate step size, &gt; 0
     * @throws IllegalArgumentException if {@code learningRate <= 0}
     */
    public Adam(double learningRate) {
        this(learningRate, 0.9, 0.999, 1e-8);
    }

    /**
     * @param learningRate step size, &gt; 0
     * @param beta1 decay of the gradient average, in [0, 1)
     * @param beta2 decay of the squared-gradient average, in [0, 1)
     * @param eps added to the denominator, &gt; 0
     * @throws IllegalArgumentException if a setting is out of range
     */
    public Adam(double learningRate, double beta1, double beta2, double eps) {
        if (!(learningRate > 0) || !(eps > 0)) {
            throw new IllegalArgumentException("learning rate and eps must be > 0, got " + learningRate + ", " + eps);
        }
        if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
            throw new IllegalArgumentException("betas must be in [0, 1), got " + beta1 + ", " + beta2);
        }
        this.learningRate = (float) learningRate;
        this.beta1 = (float) beta1;
        this.beta2 = (float) beta2;
        this.eps = (float) eps;
    }

    @Override
    public void update(List<Parameter> parameters) {
        step++;
        float c1 = (float) (1 - StrictMath.pow(beta1, step));
        float c2 = (float) (1 - StrictMath.pow(beta2, step));
        for (int i = 0; i < parameters.size(); i++) {
            Parameter p = parameters.get(i);
            float[][] s = state.of(parameters, i);
            float[] m = s[0], v = s[1], x = p.value(), g = p.grad();
            for (int j = 0; j < x.length; j++) {
                m[j] = beta1 * m[j] + (1 - beta1) * g[j];
                v[j] = beta2 * v[j] + (1 - beta2) * g[j] * g[j];
                x[j] -= learningRate * (m[j] / c1) / ((float) Math.sqrt(v[j] / c2) + eps);
            }
        }
    }

    @Override
    public List<float[]> state(List<Parameter> parameters) {
        return state.all(parameters);
    }

    @Override
    public long updates() {
        return step;
    }

    @Override
    public void setUpdates(long updates) {
        this.step = updates;
    }

    @Override
    public String toString() {
        return "Adam(lr=" + learningRate + ", b1=" + beta1 + ", b2=" + beta2 + ", eps=" + eps + ")";
    }
}
