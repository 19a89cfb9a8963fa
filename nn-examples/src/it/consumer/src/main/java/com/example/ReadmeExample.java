package com.example;

import java.io.IOException;
import java.nio.file.Path;
import org.nnlab.mnist.Mnist;
import org.nnlab.mnist.MnistSplits;
import org.nnlab.net.Net;
import org.nnlab.optim.Adadelta;
import org.nnlab.train.Trainer;

/** The README's "Ten lines", verbatim but for the paths: if they stop compiling, the README is wrong. */
final class ReadmeExample {
    private ReadmeExample() {
    }

    static double run(Path mnistDir, Path modelFile) throws IOException {
        Net net = Net.builder(24, 24, 1)                           // the lab's net: height, width, channels
                .conv(5, 8).relu().maxPool(2)                       // block 1: 5x5 conv, 8 filters, "same" padding
                .conv(5, 16).relu().maxPool(3)                      // block 2
                .softmax(10)                                        // dense(10) + softmax: 5 994 parameters
                .build();
        MnistSplits mnist = Mnist.load(mnistDir);                  // nn-mnist: checks format and SHA-256
        Trainer trainer = Trainer.builder(net, new Adadelta()).batchSize(20).l2Decay(0.001 / 20).build();
        trainer.fit(mnist.train().withCrop(24), 1);                // a fresh random 24x24 crop per example
        double accuracy = trainer.evaluate(mnist.test().withCrop(24)).accuracy();
        net.save(modelFile);                                       // Net.load gives it back, bitwise
        return accuracy;
    }
}
