package org.nnlab.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nnlab.net.Net;
import org.nnlab.optim.Adadelta;

class WeightAveragingTest {

    @Test
    void theMeanOfTheWeightsFromTheFirstStepOn() {
        Net net = TrainerTest.barsNet(3);
        WeightAveraging averaging = new WeightAveraging(4);
        List<float[]> seen = new ArrayList<>();
        Trainer trainer = Trainer.builder(net, new Adadelta()).batchSize(10).listener(averaging)
                .listener(new TrainingListener() {
                    @Override
                    public void onStep(Trainer t, StepStats s) {
                        if (s.step() >= 4) {
                            seen.add(t.net().parameters().get(0).value().clone());
                        }
                    }
                }).build();
        assertThrows(IllegalStateException.class, () -> averaging.applyTo(net.parameters()));
        trainer.fitSteps(TrainerTest.bars(100, 1), 9);
        assertEquals(6, averaging.count());
        averaging.applyTo(net.parameters());
        float[] mean = net.parameters().get(0).value();
        for (int j = 0; j < mean.length; j++) {
            double expected = 0;
            for (float[] w : seen) {
                expected += w[j] / 6.0;
            }
            assertEquals(expected, mean[j], 1e-6);
        }
    }
}
