package org.nnlab.optim;

import java.util.List;
import org.nnlab.layer.Parameter;

/**
 * Adagrad (Duchi et al. 2011), as ConvNetJS: {@code G += g^2; x -= lr g / sqrt(G + eps)}.
 * Defaults lr = 0.01, eps = 1e-8.
 */
public final class Adagrad implements Optimizer {
    private final float learningRate, eps;
    private final ParameterState state = new ParameterState(1);

    /**
     * With eps 1e-8.
     *
     * @param learningRate step size, &gt; 0
     * @throws IllegalArgumentException if {@code learningRate <= 0}
     */
    public Adagrad(double learningRate) {
        this(learningRate, 1e-8);
    }

    /**
     * @param learningRate step size, &gt; 0
     * @param eps added to the squared-gradient sum, &gt; 0
     * @throws IllegalArgumentException if a setting is out of range
     */
    public Adagrad(double learningRate, double eps) {
        if (!(learningRate > 0) || !(eps > 0)) {
            throw new IllegalArgumentException("learning rate and eps must be > 0, got " + learningRate + ", " + eps);
        }
        this.learningRate = (float) learningRate;
        this.eps = (float) eps;
    }

    @Override
    public void update(List<Parameter> parameters) {
        for (int i = 0; i < parameters.size(); i++) {
            Parameter p = parameters.get(i);
            float[] sum = state.of(parameters, i)[0], x = p.value(), g = p.grad();
            for (int j = 0; j < x.length; j++) {
                sum[j] += g[j] * g[j];
                x[j] -= learningRate * g[j] / (float) Math.sqrt(sum[j] + eps);
            }
        }
    }

    @Override
    public List<float[]> state(List<Parameter> parameters) {
        return state.all(parameters);
    }

    @Override
    public String toString() {
        return "Adagrad(lr=" + learningRate + ", eps=" + eps + ")";
    }
}
