package org.nnlab.examples;

import java.util.Arrays;
import org.nnlab.mnist.MnistDataset;
import org.nnlab.net.Net;

/** Sample images (centre crops, values 0..1 for drawing) with the net's predictions and the true labels. */
record Samples(float[] images, int side, int[] predicted, int[] actual) {

    int count() {
        return predicted.length;
    }

    static Samples predict(Net net, MnistDataset data) {
        int side = data.shape().height(), size = side * side;
        float shift = data.scaling() == MnistDataset.Scaling.CENTERED ? 0.5f : 0f;
        float[] images = new float[data.size() * size];
        int[] predicted = new int[data.size()], actual = new int[data.size()];
        for (int i = 0; i < data.size(); i++) {
            data.copyExample(i, images, i * size, null);
            predicted[i] = net.predict(Arrays.copyOfRange(images, i * size, (i + 1) * size));
            actual[i] = data.label(i);
            for (int j = i * size; j < (i + 1) * size; j++) {
                images[j] += shift;
            }
        }
        return new Samples(images, side, predicted, actual);
    }
}
