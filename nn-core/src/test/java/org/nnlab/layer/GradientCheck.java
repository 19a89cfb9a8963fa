package org.nnlab.layer;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleSupplier;
import org.nnlab.net.Net;
import org.nnlab.tensor.SeededRandom;
import org.nnlab.tensor.Workers;

/**
 * Checks analytic gradients against central differences, for the input and every parameter.
 *
 * <p>For a layer the scalar is {@code L = sum(out * r)} with a fixed random {@code r}, computed in
 * double; the analytic gradient is what {@code backward(r)} produces. Positions are sampled at random.
 * A position whose left and right difference quotients disagree has a kink within h (ReLU at 0, a
 * max-pool switching winner) and is skipped; most positions must be checkable. Every gradient checked must be
 * non-zero somewhere, so a backward that writes nothing cannot pass.
 */
public final class GradientCheck {
    /** Step for the central difference of a layer, relative to max(1, |x|). */
    public static final double STEP = 1e-2;
    /**
     * Smaller step for whole nets: a weight in an early layer moves thousands of pre-activations, so
     * ReLU and max-pool kinks are dense; float noise in the loss still stays below {@link #ABSOLUTE}.
     */
    public static final double NET_STEP = 1e-3;
    /** Allowed |analytic - numeric| = RELATIVE * max(|a|, |n|) + ABSOLUTE. */
    public static final double RELATIVE = 2e-2, ABSOLUTE = 2e-3;
    private static final int POSITIONS = 24;

    private GradientCheck() {
    }

    /**
     * Checks {@code layer} on {@code batch} examples of {@code input} with {@code threads} workers.
     *
     * @param beforeForward run before every forward (e.g. to rewind a dropout stream); may be null
     */
    public static void checkLayer(Layer layer, int batch, float[] input, int threads, boolean training,
                                  Runnable beforeForward, long seed) {
        SeededRandom random = new SeededRandom(seed);
        try (Workers workers = new Workers(threads)) {
            Pass pass = new Pass(workers).set(batch, training);
            layer.reserve(batch, threads);
            int outLength = batch * layer.outputShape().size();
            float[] out = new float[outLength];
            float[] r = new float[outLength];
            for (int i = 0; i < r.length; i++) {
                r[i] = (float) (random.nextDouble() * 2 - 1);
            }
            DoubleSupplier loss = () -> {
                if (beforeForward != null) {
                    beforeForward.run();
                }
                layer.forward(pass, input, out);
                double s = 0;
                for (int i = 0; i < outLength; i++) {
                    s += (double) out[i] * r[i];
                }
                return s;
            };
            loss.getAsDouble();
            for (Parameter p : layer.parameters()) {
                p.zeroGrad();
            }
            float[] inGrad = new float[batch * layer.inputShape().size()];
            layer.backward(pass, input, out, r, inGrad);
            List<String> problems = new ArrayList<>();
            compare("input", input, batch * layer.inputShape().size(), inGrad, loss, STEP, random, problems);
            for (Parameter p : layer.parameters()) {
                compare(p.name(), p.value(), p.size(), p.grad().clone(), loss, STEP, random, problems);
            }
            if (!problems.isEmpty()) {
                fail(layer.type() + " (" + layer.settings() + ", input " + layer.inputShape() + ", batch " + batch
                        + ", threads " + threads + "): " + String.join("; ", problems));
            }
        }
    }

    /**
     * Checks a whole net: the mean cross-entropy against {@code labels}, input and all parameters.
     *
     * <p>An early weight moves thousands of ReLU and max-pool inputs, so kinks are dense and can lie on
     * both sides of a point, where left and right slopes agree yet both miss the gradient. So here a
     * position counts only if the activation pattern (every ReLU's on/off state and every max-pool
     * winner) is the same at x - h, x and x + h: then the loss is smooth between them.
     */
    public static void checkNet(Net net, float[] input, int[] labels, int batch, long seed) {
        SeededRandom random = new SeededRandom(seed);
        net.forward(input, batch, true);
        net.zeroGradients();
        float[] inGrad = new float[batch * net.inputShape().size()];
        net.backward(labels, inGrad);
        Probe probe = new Probe(net, input, labels, batch);
        List<String> problems = new ArrayList<>();
        compare("input", input, inGrad.length, inGrad, probe, NET_STEP, random, problems);
        for (int i = 0; i < net.parameters().size(); i++) {
            Parameter p = net.parameters().get(i);
            compare("parameter " + i + " " + p.name(), p.value(), p.size(), p.grad().clone(), probe, NET_STEP, random,
                    problems);
        }
        if (!problems.isEmpty()) {
            fail("net gradient check: " + String.join("; ", problems));
        }
    }

    /** Runs the net's layers on its own buffers: the loss, and a hash of the activation pattern. */
    private static final class Probe implements DoubleSupplier {
        private final Net net;
        private final float[] input;
        private final int[] labels;
        private final int batch;
        private final float[][] outs;
        private final Pass pass;
        long pattern;

        Probe(Net net, float[] input, int[] labels, int batch) {
            this.net = net;
            this.input = input;
            this.labels = labels;
            this.batch = batch;
            this.outs = new float[net.layers().size()][];
            for (int i = 0; i < outs.length; i++) {
                outs[i] = new float[batch * net.layers().get(i).outputShape().size()];
                net.layers().get(i).reserve(batch, net.threads());
            }
            this.pass = new Pass(new Workers(1)).set(batch, true);
        }

        @Override
        public double getAsDouble() {
            float[] in = input;
            long h = 17;
            for (int l = 0; l < outs.length; l++) {
                Layer layer = net.layers().get(l);
                layer.forward(pass, in, outs[l]);
                if (layer instanceof Relu) {
                    for (float v : outs[l]) {
                        h = h * 31 + (v > 0 ? 1 : 0);
                    }
                } else if (layer instanceof MaxPool2d pool) {
                    h = h * 31 + winners(pool, in);
                }
                in = outs[l];
            }
            pattern = h;
            Softmax softmax = (Softmax) net.layers().get(outs.length - 1);
            return softmax.loss(outs.length > 1 ? outs[outs.length - 2] : input, labels, batch);
        }

        private long winners(MaxPool2d pool, float[] in) {
            var s = pool.inputShape();
            var o = pool.outputShape();
            long h = 0;
            for (int n = 0; n < batch; n++) {
                for (int c = 0; c < s.channels(); c++) {
                    for (int oy = 0; oy < o.height(); oy++) {
                        for (int ox = 0; ox < o.width(); ox++) {
                            int best = -1;
                            float max = Float.NEGATIVE_INFINITY;
                            for (int ky = 0; ky < pool.window(); ky++) {
                                for (int kx = 0; kx < pool.window(); kx++) {
                                    int at = n * s.size() + (c * s.height() + oy * pool.stride() + ky) * s.width()
                                            + ox * pool.stride() + kx;
                                    if (in[at] > max) {
                                        max = in[at];
                                        best = at;
                                    }
                                }
                            }
                            h = h * 31 + best;
                        }
                    }
                }
            }
            return h;
        }
    }

    private static void compare(String what, float[] values, int length, float[] analytic, DoubleSupplier loss,
                                double step, SeededRandom random, List<String> problems) {
        int[] nonZero = new int[length];
        int nonZeroCount = 0;
        for (int i = 0; i < length; i++) {
            if (analytic[i] != 0f) {
                nonZero[nonZeroCount++] = i;
            }
        }
        if (nonZeroCount == 0) {
            problems.add(what + ": analytic gradient is all zero");
            return;
        }
        int checked = 0, skipped = 0;
        boolean numericNonZero = false;
        int positions = Math.min(POSITIONS, length);
        for (int t = 0; t < positions; t++) {
            // Half the samples where the analytic gradient is non-zero, so sparse gradients (max-pool)
            // are really compared; the other half anywhere, so missing gradients are caught too.
            int i = length <= POSITIONS ? t
                    : t % 2 == 0 ? nonZero[random.nextInt(nonZeroCount)] : random.nextInt(length);
            // In a whole net, retry smaller steps while the activation pattern still changes within h;
            // float noise in the loss grows as h shrinks, so the absolute tolerance grows with it.
            double h = step * Math.max(1, Math.abs(values[i]));
            double absolute = ABSOLUTE;
            double[] slopes = slopes(values, i, h, loss);
            for (int retry = 0; retry < 2 && slopes[3] != 0; retry++) {
                h /= 8;
                absolute *= 8;
                slopes = slopes(values, i, h, loss);
            }
            double n1 = slopes[0], left = slopes[1], right = slopes[2];
            double a = analytic[i];
            if (slopes[3] != 0 && (slopes[4] == 0 || slopes[5] == 0)) {
                // a kink on one side only: the other side's one-sided quotient is the derivative at x
                n1 = slopes[4] == 0 ? left : right;
            } else if (slopes[3] != 0
                    || Math.abs(right - left) > RELATIVE * Math.max(Math.abs(left), Math.abs(right)) + absolute) {
                skipped++; // a kink within h of x
                continue;
            }
            checked++;
            numericNonZero |= Math.abs(n1) > 1e-6;
            if (Math.abs(a - n1) > RELATIVE * Math.max(Math.abs(a), Math.abs(n1)) + absolute) {
                problems.add(what + "[" + i + "]: analytic " + a + " vs numeric " + n1);
                return;
            }
        }
        // A layer alone has few kinks: most positions must be checkable. In a whole net one early bias
        // moves thousands of ReLU and max-pool inputs, so one clean position per array is the bar there.
        int needed = step == STEP ? Math.max(1, positions / 2) : 1;
        if (checked < needed) {
            problems.add(what + ": only " + checked + " of " + positions + " positions were away from kinks");
        } else if (!numericNonZero && skipped == 0) {
            problems.add(what + ": numeric gradient is zero at every checked position");
        }
    }

    /**
     * Central, left and right difference quotients at {@code values[i]}; then 1 if a Probe's activation
     * pattern changed on either side, on the left, on the right.
     */
    private static double[] slopes(float[] values, int i, double h, DoubleSupplier loss) {
        float original = values[i];
        float plus = (float) (original + h), minus = (float) (original - h);
        double l0 = loss.getAsDouble();
        long p0 = loss instanceof Probe probe ? probe.pattern : 0;
        values[i] = plus;
        double lp = loss.getAsDouble();
        long pp = loss instanceof Probe probe ? probe.pattern : 0;
        values[i] = minus;
        double lm = loss.getAsDouble();
        long pm = loss instanceof Probe probe ? probe.pattern : 0;
        values[i] = original;
        return new double[] {(lp - lm) / ((double) plus - minus), (l0 - lm) / ((double) original - minus),
                (lp - l0) / ((double) plus - original), p0 == pp && p0 == pm ? 0 : 1, p0 == pm ? 0 : 1,
                p0 == pp ? 0 : 1};
    }

    /** Values in ±[0.1, 1], away from ReLU's kink at 0. */
    public static float[] awayFromZero(int length, long seed) {
        SeededRandom random = new SeededRandom(seed);
        float[] x = new float[length];
        for (int i = 0; i < length; i++) {
            float v = (float) (0.1 + 0.9 * random.nextDouble());
            x[i] = i == 0 || random.nextBoolean() ? v : -v; // one positive value keeps a ReLU gradient alive
        }
        return x;
    }

    /** Distinct values 0.05 apart, shuffled, so max-pool windows have no near-ties. */
    public static float[] distinct(int length, long seed) {
        SeededRandom random = new SeededRandom(seed);
        float[] x = new float[length];
        for (int i = 0; i < length; i++) {
            x[i] = (i - length / 2f) * 0.05f;
        }
        for (int i = length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            float t = x[i];
            x[i] = x[j];
            x[j] = t;
        }
        return x;
    }

}
