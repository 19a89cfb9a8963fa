package org.nnlab.bench;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.nnlab.layer.Parameter;
import org.nnlab.net.Net;
import org.nnlab.optim.Adadelta;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** One Adadelta update of all 5 994 lab-net parameters. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class AdadeltaBenchmark {
    private List<Parameter> parameters;
    private Adadelta adadelta;

    @Setup(Level.Trial)
    public void setUp() {
        Net net = LabNet.build();
        parameters = net.parameters();
        for (Parameter p : parameters) {
            for (int i = 0; i < p.size(); i++) {
                p.grad()[i] = (i % 7 - 3) * 1e-3f;
            }
        }
        adadelta = new Adadelta();
    }

    @Benchmark
    public float update() {
        adadelta.update(parameters);
        return parameters.get(0).value()[0];
    }
}
