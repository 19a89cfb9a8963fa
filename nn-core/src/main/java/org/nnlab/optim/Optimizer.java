package org.nnlab.optim;

import java.util.List;
import org.nnlab.layer.Parameter;

/**
 * Turns gradients into parameter updates. Implementations: {@link Adadelta}, {@link Sgd},
 * {@link Adagrad}, {@link Adam}.
 *
 * <p>An optimizer keeps per-parameter state (running averages, velocities), created on the first
 * {@link #update} for that list of parameters; use one optimizer per net.
 */
public interface Optimizer {

    /**
     * Updates every parameter's {@link Parameter#value()} in place from its {@link Parameter#grad()},
     * which holds the gradient of the objective (mean loss over the batch plus weight decay).
     */
    void update(List<Parameter> parameters);
}
