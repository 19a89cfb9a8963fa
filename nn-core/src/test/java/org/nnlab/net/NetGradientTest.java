package org.nnlab.net;

import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.nnlab.layer.GradientCheck;
import org.nnlab.tensor.SeededRandom;

/** The whole lab net, and a smaller mixed net, against finite differences of the mean cross-entropy. */
class NetGradientTest {

    @Property(tries = 4)
    void labNet(@ForAll @IntRange(min = 1, max = 3) int batch, @ForAll @IntRange(min = 1, max = 2) int threads,
                @ForAll long seed) {
        Net net = Net.builder(24, 24, 1)
                .conv(5, 8).relu().maxPool(2)
                .conv(5, 16).relu().maxPool(3)
                .softmax(10)
                .seed(seed)
                .build();
        net.setThreads(threads);
        check(net, batch, seed);
    }

    /** Found by CI: every conv1 bias of this net has a ReLU/max-pool kink on one side within h. */
    @Example
    void labNetWhereEveryEarlyBiasSitsNextToAKink() {
        labNet(1, 1, 384);
    }

    @Property(tries = 10)
    void mixedNet(@ForAll @IntRange(min = 1, max = 4) int batch, @ForAll long seed) {
        Net net = Net.builder(9, 7, 2)
                .conv(3, 4, 2, 1).tanh().maxPool(2, 1)
                .dense(6).sigmoid()
                .softmax(3)
                .seed(seed)
                .build();
        check(net, batch, seed);
    }

    private static void check(Net net, int batch, long seed) {
        SeededRandom random = new SeededRandom(seed);
        float[] input = new float[batch * net.inputShape().size()];
        for (int i = 0; i < input.length; i++) {
            input[i] = (float) random.nextDouble();
        }
        int[] labels = new int[batch];
        for (int i = 0; i < batch; i++) {
            labels[i] = random.nextInt(net.outputShape().size());
        }
        GradientCheck.checkNet(net, input, labels, batch, seed);
    }
}
