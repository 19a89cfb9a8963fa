/**
 * Networks: build them, run them, save and load them.
 *
 * <p>A {@link org.nnlab.net.Net} is built fluently from its input shape; every layer's input shape is
 * the previous layer's output, and {@link org.nnlab.net.NetBuilder#build()} reports the first layer
 * whose settings cannot work, by index, type and shapes. The MNIST lab's net:
 *
 * <pre>{@code
 * Net net = Net.builder(24, 24, 1)          // height, width, channels
 *         .conv(5, 8).relu().maxPool(2)      // 24x24x8, then 12x12x8
 *         .conv(5, 16).relu().maxPool(3)     // 12x12x16, then 4x4x16
 *         .softmax(10)                       // dense(10) + softmax
 *         .seed(42)
 *         .build();
 * int digit = net.predict(image);            // one 24x24 image, float[576]
 * net.save(Path.of("digits.nnlab"));         // versioned, checksummed, atomic
 * Net same = Net.load(Path.of("digits.nnlab"));
 * }</pre>
 *
 * <p>Train it with {@link org.nnlab.train.Trainer}. Files: {@link org.nnlab.net.ModelFile} (nnlab's
 * format, docs/model-format.md) and {@link org.nnlab.net.ConvNetJs} (ConvNetJS's JSON, both ways).
 */
package org.nnlab.net;
