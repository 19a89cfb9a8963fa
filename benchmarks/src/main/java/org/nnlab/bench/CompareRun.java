package org.nnlab.bench;

import java.nio.file.Path;
import java.util.Locale;
import org.nnlab.data.Batch;
import org.nnlab.mnist.Mnist;
import org.nnlab.mnist.MnistDataset;
import org.nnlab.net.Net;
import org.nnlab.optim.Adadelta;
import org.nnlab.tensor.SeededRandom;
import org.nnlab.train.Trainer;

/**
 * nnlab's side of {@code benchmarks/compare.sh}: the lab net on real MNIST (random 24x24 crops,
 * p/255 - 0.5, Adadelta rho 0.95 eps 1e-6, L2 as ConvNetJS), timed after warm-up. Prints one line:
 * {@code nnlab train|infer batch threads examples_per_s}.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar org.nnlab.bench.CompareRun MNIST_DIR train 20 2 3</pre>
 */
public final class CompareRun {
    private CompareRun() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        String mode = args[1];
        int batch = Integer.parseInt(args[2]), threads = Integer.parseInt(args[3]);
        double seconds = Double.parseDouble(args[4]);
        MnistDataset train = Mnist.load(dir).train().withScaling(MnistDataset.Scaling.CENTERED).withCrop(24);
        Net net = LabNet.build();
        Trainer trainer = Trainer.builder(net, new Adadelta(0.95, 1e-6)).batchSize(batch).threads(threads)
                .l2Decay(0.001 / batch).build();
        SeededRandom random = new SeededRandom(1);
        Batch b = new Batch(net.inputShape(), Math.max(batch, 1));
        int[] order = new int[batch];
        double rate;
        if (mode.equals("train")) {
            run(trainer, train, b, order, random, batch, 1.5); // warm-up: JIT, buffers
            rate = run(trainer, train, b, order, random, batch, seconds);
        } else {
            net.setThreads(threads);
            float[] inputs = new float[batch * 576];
            for (int i = 0; i < batch; i++) {
                train.copyExample(i, inputs, i * 576, null);
            }
            long end = System.nanoTime() + 1_500_000_000L;
            while (System.nanoTime() < end) {
                net.forward(inputs, batch, false);
            }
            long count = 0, start = System.nanoTime();
            end = start + (long) (seconds * 1e9);
            while (System.nanoTime() < end) {
                net.forward(inputs, batch, false);
                count += batch;
            }
            rate = count / ((System.nanoTime() - start) / 1e9);
        }
        System.out.printf(Locale.ROOT, "%s %s %d %d %.1f%n",
                org.nnlab.tensor.Gemm.vectorized() ? "nnlab-vector" : "nnlab", mode, batch, threads, rate);
        net.setThreads(1);
    }

    /** Trains for about {@code seconds}, filling each batch with fresh random crops; returns examples/s. */
    private static double run(Trainer trainer, MnistDataset data, Batch b, int[] order, SeededRandom random, int batch,
                              double seconds) {
        long count = 0, start = System.nanoTime(), end = start + (long) (seconds * 1e9);
        while (System.nanoTime() < end) {
            for (int i = 0; i < batch; i++) {
                order[i] = random.nextInt(data.size());
            }
            b.fill(data, order, 0, batch, random);
            trainer.step(b);
            count += batch;
        }
        return count / ((System.nanoTime() - start) / 1e9);
    }
}
