package org.nnlab.bench;

import java.util.concurrent.TimeUnit;
import org.nnlab.net.Net;
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

/** Inference of the lab net: one forward pass over {@code batch} examples (ops/s; x batch for examples/s). */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "-Xmx2g")
public class InferenceBenchmark {

    @Param({"1", "1000"})
    public int batch;

    @Param({"1", "2"})
    public int threads;

    private Net net;
    private float[] inputs;

    @Setup(Level.Trial)
    public void setUp() {
        net = LabNet.build();
        net.setThreads(threads);
        inputs = LabNet.inputs(batch, 3);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        net.setThreads(1);
    }

    @Benchmark
    public float forward() {
        float[] out = net.forward(inputs, batch, false);
        return out[0];
    }
}
