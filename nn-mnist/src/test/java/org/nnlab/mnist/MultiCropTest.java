package org.nnlab.mnist;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.nnlab.net.Net;
import org.nnlab.optim.Adadelta;
import org.nnlab.train.Trainer;

class MultiCropTest {

    @Test
    void fullImagesGiveTheSameAccuracyAsTheTrainer() {
        MnistDataset data = MnistDatasetTest.fake(300);
        Net net = Net.builder(28, 28, 1).conv(5, 4, 2, 0).relu().softmax(10).seed(3).build();
        Trainer trainer = Trainer.builder(net, new Adadelta()).build();
        trainer.fit(data, 1);
        assertEquals(trainer.evaluate(data).accuracy(), MultiCrop.accuracy(net, data), 0.0);
    }

    @Test
    void cropsAreAveragedInProbability() {
        MnistDataset data = MnistDatasetTest.fake(40).withCrop(24);
        Net net = Net.builder(24, 24, 1).conv(5, 4, 2, 0).relu().softmax(10).seed(5).build();
        int correct = 0;
        float[] crop = new float[576];
        for (int i = 0; i < data.size(); i++) {
            double[] sum = new double[10];
            for (int[] o : MultiCrop.offsets(data)) {
                data.copyWindow(i, o[0], o[1], crop, 0);
                float[] p = net.forward(crop, 1, false);
                for (int c = 0; c < 10; c++) {
                    sum[c] += p[c];
                }
            }
            int best = 0;
            for (int c = 1; c < 10; c++) {
                best = sum[c] > sum[best] ? c : best;
            }
            correct += best == data.label(i) ? 1 : 0;
        }
        assertEquals((double) correct / data.size(), MultiCrop.accuracy(net, data), 1e-12);
    }
}
