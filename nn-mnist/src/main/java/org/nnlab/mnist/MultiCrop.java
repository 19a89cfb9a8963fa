package org.nnlab.mnist;

import org.nnlab.net.Net;
import org.nnlab.tensor.Tensor;

/**
 * Test-time augmentation: averages the net's class probabilities over several crops of each image,
 * as ConvNetJS's MNIST demo does with 4 crops. Deterministic: ConvNetJS draws its 4 crops at random,
 * nnlab takes the 4 windows one pixel diagonally off the centre ({@code (c±1, c±1)} for a centred
 * offset c), so inference uses no randomness and an evaluation is reproducible.
 */
public final class MultiCrop {
    private static final int CHUNK = 256;

    private MultiCrop() {
    }

    /**
     * @param data a cropped or full view
     * @return the crop offsets used, {@code {dx, dy}}: 4 windows around the centre, or the centre alone
     *     for a 28x28 view
     */
    public static int[][] offsets(MnistDataset data) {
        int c = (MnistDataset.SIDE - data.crop()) / 2;
        if (c == 0) {
            return new int[][] {{0, 0}};
        }
        int hi = Math.min(c + 1, MnistDataset.SIDE - data.crop());
        return new int[][] {{c - 1, c - 1}, {hi, c - 1}, {c - 1, hi}, {hi, hi}};
    }

    /**
     * @param net a net taking {@code data}'s crops
     * @param data the examples
     * @return the fraction of {@code data} classified correctly by the probabilities averaged over
     *     {@link #offsets}
     */
    public static double accuracy(Net net, MnistDataset data) {
        int[][] offsets = offsets(data);
        int classes = net.outputShape().size();
        int inSize = data.shape().size();
        float[] batch = new float[CHUNK * inSize];
        float[] sum = new float[CHUNK * classes];
        int correct = 0;
        for (int start = 0; start < data.size(); start += CHUNK) {
            int n = Math.min(CHUNK, data.size() - start);
            java.util.Arrays.fill(sum, 0f);
            for (int[] o : offsets) {
                for (int i = 0; i < n; i++) {
                    data.copyWindow(start + i, o[0], o[1], batch, i * inSize);
                }
                float[] p = net.forward(batch, n, false);
                for (int i = 0; i < n * classes; i++) {
                    sum[i] += p[i];
                }
            }
            for (int i = 0; i < n; i++) {
                if (Tensor.argmax(sum, i * classes, classes) == data.label(start + i)) {
                    correct++;
                }
            }
        }
        return (double) correct / data.size();
    }
}
