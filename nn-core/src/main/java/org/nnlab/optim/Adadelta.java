package org.nnlab.optim;

import java.util.List;
import org.nnlab.layer.Parameter;

/**
 * Adadelta (Zeiler 2012), exactly as the lab states it and ConvNetJS computes it, per value:
 * <pre>
 *   E[g^2]  = rho E[g^2] + (1 - rho) g^2
 *   dx      = -sqrt(E[dx^2] + eps) / sqrt(E[g^2] + eps) * g
 *   E[dx^2] = rho E[dx^2] + (1 - rho) dx^2
 *   x      += dx
 * </pre>
 * No learning rate: the ratio of the two running averages sets each value's step size. Defaults are
 * ConvNetJS's, rho = 0.95 and eps = 1e-8 (Zeiler uses eps = 1e-6; PyTorch rho = 0.9, eps = 1e-6), so
 * a lab run behaves like the browser's.
 */
public final class Adadelta implements Optimizer {
    private final float rho, eps;
    private final ParameterState state = new ParameterState(2);

    /** ConvNetJS's defaults: rho 0.95, eps 1e-8. */
    public Adadelta() {
        this(0.95, 1e-8);
    }

    /**
     * @param rho decay of the running averages, in (0, 1)
     * @param eps added inside both square roots; sets the first steps' size, &gt; 0
     * @throws IllegalArgumentException if a setting is out of range
     */
    public Adadelta(double rho, double eps) {
        if (!(rho > 0 && rho < 1)) {
            throw new IllegalArgumentException("rho must be in (0, 1), got " + rho);
        }
        if (!(eps > 0)) {
            throw new IllegalArgumentException("eps must be > 0, got " + eps);
        }
        this.rho = (float) rho;
        this.eps = (float) eps;
    }

    @Override
    public void update(List<Parameter> parameters) {
        for (int i = 0; i < parameters.size(); i++) {
            Parameter p = parameters.get(i);
            float[][] s = state.of(parameters, i);
            float[] gsum = s[0], xsum = s[1], x = p.value(), g = p.grad();
            for (int j = 0; j < x.length; j++) {
                gsum[j] = rho * gsum[j] + (1 - rho) * g[j] * g[j];
                // -(float) sqrt, not (float) -sqrt: the same value, but C2 only turns the cast of a square
                // root into a float square root (and vectorises it) when nothing sits between them
                float dx = -(float) Math.sqrt((xsum[j] + eps) / (gsum[j] + eps)) * g[j];
                xsum[j] = rho * xsum[j] + (1 - rho) * dx * dx;
                x[j] += dx;
            }
        }
    }

    @Override
    public List<float[]> state(List<Parameter> parameters) {
        return state.all(parameters);
    }

    @Override
    public String toString() {
        return "Adadelta(rho=" + rho + ", eps=" + eps + ")";
    }
}
