package org.nnlab.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nnlab.tensor.Shape;
import org.nnlab.tensor.Tensor;

class NetBuilderTest {

    static Net labNet() {
        return Net.builder(24, 24, 1)
                .conv(5, 8).relu().maxPool(2)
                .conv(5, 16).relu().maxPool(3)
                .softmax(10)
                .seed(42)
                .build();
    }

    @Test
    void labNetShapesAndTrueParameterCount() {
        Net net = labNet();
        String summary = net.summary();
        assertEquals(new Shape(4, 4, 16), net.layers().get(5).outputShape(), summary);
        assertEquals(new Shape(1, 1, 10), net.outputShape());
        // conv1 5*5*1*8 + 8 = 208, conv2 5*5*8*16 + 16 = 3216, dense 256*10 + 10 = 2570
        assertEquals(208 + 3216 + 2570, net.parameterCount());
        assertTrue(summary.contains("total parameters: 5994"), summary);
        assertTrue(summary.contains("Conv2d     24x24x8         208"), summary);
    }

    @Test
    void sameSeedSameWeightsDifferentSeedDifferentWeights() {
        Net a = labNet(), b = labNet();
        Net c = Net.builder(24, 24, 1).conv(5, 8).relu().maxPool(2).conv(5, 16).relu().maxPool(3).softmax(10)
                .seed(43).build();
        for (int i = 0; i < a.parameters().size(); i++) {
            assertTrue(java.util.Arrays.equals(a.parameters().get(i).value(), b.parameters().get(i).value()));
        }
        assertTrue(!java.util.Arrays.equals(a.parameters().get(0).value(), c.parameters().get(0).value()));
    }

    @Test
    void windowLargerThanInputNamesLayerTypeAndShapes() {
        Net.builder(10, 10, 1).conv(5, 8, 1, 0).maxPool(6).build(); // exactly fits
        ShapeException e = assertThrows(ShapeException.class,
                () -> Net.builder(10, 10, 1).conv(5, 8, 1, 0).maxPool(7).build());
        assertEquals("layer 2 (MaxPool2d): input 6x6x8 is smaller than the 7x7 window", e.getMessage());
    }

    @Test
    void impossibleSettingsAreRejectedAtBuild() {
        assertMessage("layer 1 (Conv2d): filters must be > 0, got 0", () -> Net.builder(8, 8, 1).conv(3, 0).build());
        assertMessage("layer 1 (Conv2d): padding must be >= 0, got -1",
                () -> Net.builder(8, 8, 1).conv(3, 2, 1, -1).build());
        assertMessage("layer 1 (Conv2d): input 4x4x1 with padding 0 is smaller than the 5x5 kernel",
                () -> Net.builder(4, 4, 1).conv(5, 2, 1, 0).build());
        assertMessage("layer 1 (Conv2d): stride must be > 0, got 0", () -> Net.builder(8, 8, 1).conv(3, 2, 0, 1).build());
        assertMessage("layer 2 (Dense): units must be > 0, got 0", () -> Net.builder(8, 8, 1).relu().dense(0).build());
        assertMessage("layer 1 (Dropout): dropout rate must be in [0, 1), got 1.0",
                () -> Net.builder(8, 8, 1).dropout(1.0).build());
        assertMessage("layer 3 (Relu): nothing may follow the softmax output layer 2",
                () -> Net.builder(8, 8, 1).softmax(10).relu().build());
        assertMessage("input: shape 0x8x1 must be positive in every dimension", () -> Net.builder(0, 8, 1).relu().build());
        assertMessage("the net has no layers: add at least one after the input 8x8x1", () -> Net.builder(8, 8, 1).build());
    }

    @Test
    void wrongInputAtRunTimeIsAShapeExceptionNotAnIndexError() {
        Net net = labNet();
        assertMessage("input: expected 576 values (24x24x1), got 784", () -> net.predict(new float[784]));
        assertMessage("input: expected examples of 24x24x1, got 28x28x1",
                () -> net.predictProbabilities(Tensor.zeros(new Shape(28, 28, 1), 2)));
        assertMessage("input: a batch of 3 x 24x24x1 needs 1728 values, got 1000",
                () -> net.forward(new float[1000], 3, false));
    }

    @Test
    void backwardAfterAnInferenceForwardIsRefused() {
        Net net = labNet();
        float[] x = new float[2 * 24 * 24];
        net.forward(x, 2, false);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> net.backward(new int[] {1, 2}, null));
        assertEquals("backward needs the last forward to be a training pass (forward(input, batch, true)): "
                + "inference does not keep what backward needs", e.getMessage());
        net.forward(x, 2, true);
        assertTrue(Double.isFinite(net.backward(new int[] {1, 2}, null)));
    }

    @Test
    void probabilitiesSumToOneAndPredictAgreesWithThem() {
        Net net = labNet();
        Tensor batch = Tensor.zeros(new Shape(24, 24, 1), 300); // more than one inference chunk
        for (int i = 0; i < batch.data().length; i++) {
            batch.data()[i] = (float) Math.sin(i * 0.37);
        }
        Tensor p = net.predictProbabilities(batch);
        int[] classes = net.predict(batch);
        for (int n = 0; n < 300; n++) {
            double sum = 0;
            int best = 0;
            for (int c = 0; c < 10; c++) {
                sum += p.data()[n * 10 + c];
                if (p.data()[n * 10 + c] > p.data()[n * 10 + best]) {
                    best = c;
                }
            }
            assertEquals(1.0, sum, 1e-5);
            assertEquals(best, classes[n]);
            assertEquals(best, net.predict(batch.example(n)), "single-example predict of " + n);
        }
    }

    private static void assertMessage(String expected, org.junit.jupiter.api.function.Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertEquals(expected, e.getMessage());
    }
}
