package org.nnlab.bench;

import java.util.concurrent.TimeUnit;
import org.nnlab.layer.Layer;
import org.nnlab.layer.Pass;
import org.nnlab.net.Net;
import org.nnlab.tensor.SeededRandom;
import org.nnlab.tensor.Workers;
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
 * Forward and backward of each lab layer at the lab's shapes, batch 20, one thread: where a training
 * step's time goes. {@code layer} is the index in {@code net.summary()} (1 = first conv).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class LayerBenchmark {

    @Param({"1", "2", "3", "4", "5", "6", "7"})
    public int layer;

    @Param({"20"})
    public int batch;

    private Layer subject;
    private Pass pass;
    private Workers workers;
    private float[] in, out, outGrad, inGrad;

    @Setup(Level.Trial)
    public void setUp() {
        Net net = LabNet.build();
        subject = net.layers().get(layer - 1);
        workers = new Workers(1);
        pass = new Pass(workers).set(batch, true);
        subject.reserve(batch, 1);
        SeededRandom random = new SeededRandom(5);
        in = new float[batch * subject.inputShape().size()];
        for (int i = 0; i < in.length; i++) {
            in[i] = (float) random.nextGaussian();
        }
        out = new float[batch * subject.outputShape().size()];
        outGrad = new float[out.length];
        for (int i = 0; i < outGrad.length; i++) {
            outGrad[i] = (float) random.nextGaussian() * 0.01f;
        }
        // the first conv gets no input gradient in training, as in Net.backward
        inGrad = layer == 1 ? null : new float[in.length];
        subject.forward(pass, in, out);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        workers.close();
    }

    @Benchmark
    public float forward() {
        subject.forward(pass, in, out);
        return out[0];
    }

    @Benchmark
    public float backward() {
        subject.backward(pass, in, out, outGrad, inGrad);
        return inGrad != null ? inGrad[0] : outGrad[0];
    }
}
