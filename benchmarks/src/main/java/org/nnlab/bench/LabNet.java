package org.nnlab.bench;

import org.nnlab.net.Net;
import org.nnlab.tensor.SeededRandom;

/** The lab's network and random inputs of its shape, shared by the benchmarks. */
final class LabNet {
    private LabNet() {
    }

    static Net build() {
        return Net.builder(24, 24, 1)
                .conv(5, 8).relu().maxPool(2)
                .conv(5, 16).relu().maxPool(3)
                .softmax(10)
                .seed(42)
                .build();
    }

    /** Values like centred MNIST pixels, in [-0.5, 0.5]. */
    static float[] inputs(int examples, long seed) {
        SeededRandom random = new SeededRandom(seed);
        float[] x = new float[examples * 576];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (random.nextDouble() - 0.5);
        }
        return x;
    }

    static int[] labels(int examples, long seed) {
        SeededRandom random = new SeededRandom(seed);
        int[] y = new int[examples];
        for (int i = 0; i < examples; i++) {
            y[i] = random.nextInt(10);
        }
        return y;
    }
}
