package org.nnlab.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.nnlab.layer.Parameter;

/**
 * Each optimizer for two steps on one value x0 = 1 with gradients g1 = 0.5 then g2 = -0.25, against
 * values worked out by hand from the formulas in each class's Javadoc (in double, float tolerance).
 */
class OptimizerTest {
    private static final double TOL = 1e-6;

    private static double[] twoSteps(Optimizer optimizer) {
        Parameter p = Parameter.weights("w", 1);
        p.value()[0] = 1f;
        List<Parameter> params = List.of(p);
        p.grad()[0] = 0.5f;
        optimizer.update(params);
        double after1 = p.value()[0];
        p.grad()[0] = -0.25f;
        optimizer.update(params);
        return new double[] {after1, p.value()[0]};
    }

    @Test
    void adadeltaFollowsTheLabFormula() {
        // step 1: Eg2 = 0.05*0.25 = 0.0125; dx = -sqrt(1e-8 / (0.0125+1e-8)) * 0.5 = -4.4721341e-4
        //         Edx2 = 0.05 * dx^2 = 1.0000e-8; x = 0.99955278659
        // step 2: Eg2 = 0.95*0.0125 + 0.05*0.0625 = 0.015; dx = sqrt((1.0e-8+1e-8)/(0.015+1e-8)) * 0.25
        //         = 2.88675e-4; x = 0.99984146
        double eg = 0.05 * 0.25;
        double dx1 = -Math.sqrt(1e-8 / (eg + 1e-8)) * 0.5;
        double ex = 0.05 * dx1 * dx1;
        double x1 = 1 + dx1;
        eg = 0.95 * eg + 0.05 * 0.0625;
        double dx2 = -Math.sqrt((ex + 1e-8) / (eg + 1e-8)) * -0.25;
        double x2 = x1 + dx2;
        double[] got = twoSteps(new Adadelta());
        assertEquals(0.99955278659, x1, 1e-9, "hand value of step 1");
        assertEquals(x1, got[0], TOL);
        assertEquals(x2, got[1], TOL);
        assertEquals(0.99984146, x2, 1e-6, "hand value of step 2");
    }

    @Test
    void sgdPlainMomentumAndNesterov() {
        double[] plain = twoSteps(new Sgd(0.1));
        assertEquals(0.95, plain[0], TOL);
        assertEquals(0.975, plain[1], TOL);
        // v1 = -0.05, x1 = 0.95; v2 = 0.9*-0.05 + 0.025 = -0.02, x2 = 0.93
        double[] momentum = twoSteps(new Sgd(0.1, 0.9, false));
        assertEquals(0.95, momentum[0], TOL);
        assertEquals(0.93, momentum[1], TOL);
        // x1 = 1 + 0.9*-0.05 - 0.05 = 0.905; v2 = -0.02, x2 = 0.905 + 0.9*-0.02 + 0.025 = 0.912
        double[] nesterov = twoSteps(new Sgd(0.1, 0.9, true));
        assertEquals(0.905, nesterov[0], TOL);
        assertEquals(0.912, nesterov[1], TOL);
    }

    @Test
    void adagrad() {
        // G1 = 0.25, x1 = 1 - 0.1*0.5/sqrt(0.25) = 0.9; G2 = 0.3125, x2 = 0.9 + 0.025/sqrt(0.3125) = 0.94472136
        double[] got = twoSteps(new Adagrad(0.1));
        assertEquals(0.9, got[0], TOL);
        assertEquals(0.9 + 0.025 / Math.sqrt(0.3125), got[1], TOL);
        assertEquals(0.94472136, got[1], 1e-6);
    }

    @Test
    void adamWithBiasCorrection() {
        // step 1: m = 0.05, v = 0.00025; mhat = 0.5, vhat = 0.25; x1 = 1 - 0.1*0.5/(0.5+1e-8) = 0.9
        // step 2: m = 0.045 - 0.025 = 0.02, v = 0.00024975 + 0.0000625 = 0.00031225
        //         mhat = 0.02/0.19 = 0.105263, vhat = 0.00031225/0.001999 = 0.156203; x2 = 0.9 - 0.1*0.105263/0.395225
        double[] got = twoSteps(new Adam(0.1));
        assertEquals(0.9, got[0], TOL);
        double mhat = 0.02 / (1 - 0.81), vhat = 0.00031225 / (1 - 0.998001);
        assertEquals(0.9 - 0.1 * mhat / (Math.sqrt(vhat) + 1e-8), got[1], TOL);
        assertEquals(0.873366, got[1], 1e-5);
    }

    @Test
    void settingsAreValidated() {
        assertThrows(IllegalArgumentException.class, () -> new Adadelta(1.0, 1e-8));
        assertThrows(IllegalArgumentException.class, () -> new Sgd(-1));
        assertThrows(IllegalArgumentException.class, () -> new Sgd(0.1, 0, true));
        assertThrows(IllegalArgumentException.class, () -> new Adam(0.1, 1.0, 0.9, 1e-8));
    }

    @Test
    void oneOptimizerServesOneNet() {
        Adadelta optimizer = new Adadelta();
        Parameter a = Parameter.weights("a", 1);
        optimizer.update(List.of(a));
        assertThrows(IllegalStateException.class, () -> optimizer.update(List.of(Parameter.weights("b", 1))));
    }
}
