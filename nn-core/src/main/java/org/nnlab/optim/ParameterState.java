package org.nnlab.optim;

import java.util.List;
import org.nnlab.layer.Parameter;

/**
 * {@code slots} zero-initialised float arrays per parameter, shaped like the parameters, made on first
 * use. Guards against an optimizer being moved to another net.
 */
final class ParameterState {
    private final int slots;
    private List<Parameter> owner;
    private float[][][] state;

    ParameterState(int slots) {
        this.slots = slots;
    }

    /** The state arrays of parameter {@code index}: {@code slot} 0 .. slots-1. */
    float[][] of(List<Parameter> parameters, int index) {
        if (owner != parameters) {
            bind(parameters);
        }
        return state[index];
    }

    /** Every state array, parameter by parameter, slot by slot. */
    List<float[]> all(List<Parameter> parameters) {
        List<float[]> result = new java.util.ArrayList<>();
        for (int i = 0; i < parameters.size(); i++) {
            result.addAll(List.of(of(parameters, i)));
        }
        return result;
    }

    private void bind(List<Parameter> parameters) {
        if (owner != null) {
            throw new IllegalStateException("this optimizer already holds state for another net's parameters; "
                    + "use one optimizer per net");
        }
        owner = parameters;
        state = new float[parameters.size()][slots][];
        for (int i = 0; i < parameters.size(); i++) {
            for (int s = 0; s < slots; s++) {
                state[i][s] = new float[parameters.get(i).size()];
            }
        }
    }
}
