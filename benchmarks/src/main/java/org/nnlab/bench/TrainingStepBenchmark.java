package org.nnlab.bench;

import java.util.concurrent.TimeUnit;
import org.nnlab.data.ArrayDataset;
import org.nnlab.data.Batch;
import org.nnlab.net.Net;
import org.nnlab.optim.Adadelta;
import org.nnlab.tensor.Shape;
import org.nnlab.train.Trainer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One training step of the lab net (forward, backward, L2 decay, Adadelta update) on a filled batch.
 * Throughput in steps/s; multiply by {@code batch} for examples/s.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "-Xmx2g")
public class TrainingStepBenchmark {

    @Param({"1", "20", "64", "256"})
    public int batch;

    @Param({"1", "2"})
    public int threads;

    private Trainer trainer;
    private Batch filled;

    @Setup(Level.Trial)
    public void setUp() {
        Net net = LabNet.build();
        trainer = Trainer.builder(net, new Adadelta()).batchSize(batch).threads(threads).l2Decay(0.001 / 20).build();
        ArrayDataset data = new ArrayDataset(new Shape(24, 24, 1), LabNet.inputs(batch, 1), LabNet.labels(batch, 2), 10);
        int[] order = new int[batch];
        for (int i = 0; i < batch; i++) {
            order[i] = i;
        }
        filled = new Batch(net.inputShape(), batch).fill(data, order, 0, batch, null);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        trainer.net().setThreads(1); // stop the worker threads
    }

    @Benchmark
    public double step() {
        return trainer.step(filled).loss();
    }
}
