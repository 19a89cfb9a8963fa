package org.nnlab.optim;

import java.util.List;
import org.nnlab.layer.Parameter;

/**
 * Stochastic gradient descent with optional momentum (ConvNetJS's form) and Nesterov momentum:
 * <pre>
 *   v  = momentum v - lr g
 *   x += v                       (classical)
 *   x += momentum v - lr g       (Nesterov, Sutskever et al. 2013, with the new v)
 * </pre>
 */
public final class Sgd implements Optimizer {
    private final float learningRate, momentum;
    private final boolean nesterov;
    private final ParameterState state = new ParameterState(1);

    /**
     * Plain SGD, no momentum.
     *
     * @param learningRate step size, &gt; 0
     * @throws IllegalArgumentException if {@code learningRate <= 0}
     */
    public Sgd(double learningRate) {
        this(learningRate, 0, false);
    }

    /**
     * @param learningRate step size, &gt; 0
     * @param momentum in [0, 1); 0 for plain SGD
     * @param nesterov Nesterov's form (needs a momentum &gt; 0)
     * @throws IllegalArgumentException if a setting is out of range
     */
    public Sgd(double learningRate, double momentum, boolean nesterov) {
        if (!(learningRate > 0)) {
            throw new IllegalArgumentException("learning rate must be > 0, got " + learningRate);
        }
        if (!(momentum >= 0 && momentum < 1)) {
            throw new IllegalArgumentException("momentum must be in [0, 1), got " + momentum);
        }
        if (nesterov && momentum == 0) {
            throw new IllegalArgumentException("Nesterov needs a momentum > 0");
        }
        this.learningRate = (float) learningRate;
        this.momentum = (float) momentum;
        this.nesterov = nesterov;
    }

    @Override
    public void update(List<Parameter> parameters) {
        for (int i = 0; i < parameters.size(); i++) {
            Parameter p = parameters.get(i);
            float[] x = p.value(), g = p.grad();
            if (momentum == 0) {
                for (int j = 0; j < x.length; j++) {
                    x[j] -= learningRate * g[j];
                }
                continue;
            }
            float[] v = state.of(parameters, i)[0];
            for (int j = 0; j < x.length; j++) {
                v[j] = momentum * v[j] - learningRate * g[j];
                x[j] += nesterov ? momentum * v[j] - learningRate * g[j] : v[j];
            }
        }
    }

    @Override
    public List<float[]> state(List<Parameter> parameters) {
        return momentum == 0 ? List.of() : state.all(parameters);
    }

    @Override
    public String toString() {
        return "Sgd(lr=" + learningRate + ", momentum=" + momentum + (nesterov ? ", nesterov" : "") + ")";
    }
}
