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
     *
     * @param parameters the net's parameters, the same list in the same order at every step
     */
    void update(List<Parameter> parameters);

    /**
     * The state this optimizer keeps for {@code parameters} (running averages, velocities): arrays
     * shaped like the parameters, parameter by parameter, made zeroed if there are none yet. They are
     * live, so a checkpoint reads them and a restore writes into them. Empty if the optimizer keeps
     * no state.
     *
     * @param parameters the net's parameters
     * @return the state arrays, live
     */
    default List<float[]> state(List<Parameter> parameters) {
        return List.of();
    }

    /** @return the updates done so far, for optimizers whose step depends on it (Adam's bias correction); else 0 */
    default long updates() {
        return 0;
    }

    /**
     * Restores {@link #updates()} from a checkpoint; ignored by optimizers that do not count.
     *
     * @param updates the count saved with the state
     */
    default void setUpdates(long updates) {
    }
}
