package com.example;

import java.util.List;
import java.util.Random;
import org.nnlab.mnist.MnistDataset;
import org.nnlab.net.Net;
import org.nnlab.optim.Adadelta;
import org.nnlab.train.Evaluation;
import org.nnlab.train.Trainer;

/** A user's first program: the lab's net, trained briefly on generated "digits", then a prediction. */
public final class TrainDigits {
    private TrainDigits() {
    }

    /** Images of a bar whose position says the class: learnable in a few hundred steps. */
    public static MnistDataset generated(int count, long seed) {
        Random random = new Random(seed);
        byte[] pixels = new byte[count * 784], labels = new byte[count];
        for (int n = 0; n < count; n++) {
            int label = random.nextInt(10);
            labels[n] = (byte) label;
            int row = 4 + 2 * label;
            for (int x = 4; x < 24; x++) {
                pixels[n * 784 + row * 28 + x] = (byte) 255;
                pixels[n * 784 + (row + 1) * 28 + x] = (byte) 200;
            }
        }
        return new MnistDataset(pixels, labels, List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"))
                .withScaling(MnistDataset.Scaling.CENTERED);
    }

    public static Evaluation train() {
        // the lab's two blocks, on whole 28x28 images (no random crops: the classes here are positions)
        Net net = Net.builder(28, 28, 1)
                .conv(5, 8).relu().maxPool(2)
                .conv(5, 16).relu().maxPool(3)
                .softmax(10)
                .seed(42)
                .build();
        Trainer trainer = Trainer.builder(net, new Adadelta(0.95, 1e-6)).batchSize(20).build();
        trainer.fitSteps(generated(2000, 1), 300);
        return trainer.evaluate(generated(500, 2));
    }

    public static void main(String[] args) {
        System.out.println("accuracy on generated digits: " + train().accuracy());
    }
}
