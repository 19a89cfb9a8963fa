package org.nnlab.net;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.ConcurrentModificationException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.nnlab.io.ModelFormatException;
import org.nnlab.layer.Conv2d;
import org.nnlab.layer.Dense;
import org.nnlab.layer.Layer;
import org.nnlab.layer.Parameter;
import org.nnlab.layer.Pass;
import org.nnlab.layer.Relu;
import org.nnlab.layer.Softmax;
import org.nnlab.tensor.SeededRandom;
import org.nnlab.tensor.Shape;
import org.nnlab.tensor.Tensor;
import org.nnlab.tensor.Workers;

/**
 * A feed-forward network: a chain of {@link Layer}s with the buffers that connect them.
 *
 * <p>Made by {@link #builder}. Buffers for activations and gradients are allocated when a batch larger
 * than any before arrives, then reused, so steady-state training allocates nothing.
 *
 * <p>Not thread-safe: one net serves one thread at a time; overlapping calls from two threads fail fast
 * with {@link ConcurrentModificationException} instead of silently mixing batches. The net may use
 * several threads inside a call ({@link #setThreads}); results are bitwise identical for any count.
 */
public final class Net {
    private static final int INFERENCE_CHUNK = 256;

    private final Shape inputShape;
    private final List<Layer> layers;
    private final List<Parameter> parameters;
    private final long seed;
    private final AtomicBoolean busy = new AtomicBoolean();

    private Workers workers = new Workers(1);
    private Pass pass = new Pass(workers);
    private int capacity;
    private float[][] outputs = new float[0][];
    private float[][] outputGrads = new float[0][];
    private float[] lastInput;
    private int lastBatch;
    private boolean lastTraining;

    Net(Shape inputShape, List<Layer> layers, long seed) {
        this.inputShape = inputShape;
        this.layers = List.copyOf(layers);
        this.seed = seed;
        List<Parameter> params = new ArrayList<>();
        for (Layer layer : layers) {
            params.addAll(layer.parameters());
        }
        this.parameters = List.copyOf(params);
        initialize();
    }

    /**
     * Starts a net on inputs of {@code height x width x channels}.
     *
     * @param height input height in pixels
     * @param width input width in pixels
     * @param channels input channels (1 for grey, 3 for RGB)
     * @return a builder; add layers, then {@link NetBuilder#build()}
     */
    public static NetBuilder builder(int height, int width, int channels) {
        return new NetBuilder(height, width, channels);
    }

    /**
     * Draws fresh initial weights from the seed: ConvNetJS's scheme, weights ~ N(0, 1/fan_in), biases
     * 0.1 where a ReLU follows (so units start active) and 0 elsewhere. Same seed, same weights.
     */
    public void initialize() {
        SeededRandom random = SeededRandom.forPurpose(seed, "init");
        for (int i = 0; i < layers.size(); i++) {
            Layer layer = layers.get(i);
            layer.initialize(random);
            boolean reluNext = i + 1 < layers.size() && layers.get(i + 1) instanceof Relu;
            float bias = reluNext ? 0.1f : 0f;
            if (layer instanceof Conv2d conv) {
                conv.fillBiases(bias);
            } else if (layer instanceof Dense dense) {
                dense.fillBiases(bias);
            }
        }
    }

    /** @return the shape of one input example */
    public Shape inputShape() {
        return inputShape;
    }

    /** @return the shape of one output example, e.g. {@code 1x1x10} for ten classes */
    public Shape outputShape() {
        return layers.get(layers.size() - 1).outputShape();
    }

    /** @return the layers in order, unmodifiable */
    public List<Layer> layers() {
        return layers;
    }

    /** @return all trainable parameters, layer by layer, unmodifiable (their arrays are live) */
    public List<Parameter> parameters() {
        return parameters;
    }

    /** @return the number of trainable values (weights and biases) */
    public long parameterCount() {
        long total = 0;
        for (Parameter p : parameters) {
            total += p.size();
        }
        return total;
    }

    /** @return the seed of the initial weights and dropout masks */
    public long seed() {
        return seed;
    }

    /** @return the number of threads each call may use, the caller's included */
    public int threads() {
        return workers.threads();
    }

    /**
     * Uses {@code threads} threads (including the caller) inside each call. Default 1. Results are
     * bitwise the same for any thread count.
     *
     * @param threads at least 1
     * @throws IllegalArgumentException if {@code threads < 1}
     */
    public void setThreads(int threads) {
        if (threads == workers.threads()) {
            return;
        }
        enter();
        try {
            Workers next = new Workers(threads);
            workers.close();
            workers = next;
            pass = new Pass(workers);
            for (Layer layer : layers) {
                layer.reserve(capacity, threads);
            }
        } finally {
            exit();
        }
    }

    /** @return one line per layer (index, type, output shape, parameter count, settings), then the total */
    public String summary() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("%-3s %-10s %-10s %8s  %s%n", "#", "layer", "output", "params", "settings"));
        sb.append(String.format("%-3d %-10s %-10s %8d%n", 0, "Input", inputShape, 0));
        for (int i = 0; i < layers.size(); i++) {
            Layer l = layers.get(i);
            long count = 0;
            for (Parameter p : l.parameters()) {
                count += p.size();
            }
            sb.append(String.format("%-3d %-10s %-10s %8d  %s", i + 1, l.type(), l.outputShape(), count,
                    l.settings()).stripTrailing()).append(System.lineSeparator());
        }
        sb.append(String.format("total parameters: %d%n", parameterCount()));
        return sb.toString();
    }

    /**
     * Runs the batch forward and returns the net's output buffer ({@code batch x outputShape}), which
     * stays valid until the next call. Low level: {@link org.nnlab.train.Trainer} and the predict
     * methods are built on it.
     *
     * @param input at least {@code batch} examples of {@link #inputShape()}, back to back; not modified
     * @param batch number of examples
     * @param training true to run dropout and keep what {@link #backward} needs
     * @return the output buffer, owned by the net: copy what must outlive the next call
     * @throws ShapeException if {@code input} holds fewer than {@code batch} examples of the input shape
     */
    public float[] forward(float[] input, int batch, boolean training) {
        enter();
        try {
            checkInput(input.length, batch);
            ensureCapacity(batch);
            pass.set(batch, training);
            float[] in = input;
            for (int i = 0; i < layers.size(); i++) {
                layers.get(i).forward(pass, in, outputs[i]);
                in = outputs[i];
            }
            lastInput = input;
            lastBatch = batch;
            lastTraining = training;
            return in;
        } finally {
            exit();
        }
    }

    /**
     * Back-propagates the mean cross-entropy of the last {@link #forward} against {@code labels} and
     * adds the gradients to every parameter's {@link Parameter#grad()} (zero them first with
     * {@link #zeroGradients()}). Returns the loss.
     *
     * @param labels the true class of each example of the last forward batch
     * @param inputGrad if not null, receives the gradient with respect to the input
     * @return the batch's mean cross-entropy (without weight decay)
     * @throws IllegalStateException    if the net does not end in {@link Softmax}, nothing was forwarded, or the
     *                                  last forward was not a training pass
     * @throws IllegalArgumentException if a label is outside {@code [0, classes)}
     */
    public double backward(int[] labels, float[] inputGrad) {
        enter();
        try {
            if (!(layers.get(layers.size() - 1) instanceof Softmax softmax)) {
                throw new IllegalStateException("training with labels needs a net that ends in softmax(classes); "
                        + "this one ends in " + layers.get(layers.size() - 1).type());
            }
            if (lastInput == null) {
                throw new IllegalStateException("backward called before forward");
            }
            if (!lastTraining) {
                throw new IllegalStateException("backward needs the last forward to be a training pass "
                        + "(forward(input, batch, true)): inference does not keep what backward needs");
            }
            int batch = lastBatch;
            if (labels.length < batch) {
                throw new IllegalArgumentException("got " + labels.length + " labels for a batch of " + batch);
            }
            int last = layers.size() - 1;
            float[] logits = last > 0 ? outputs[last - 1] : lastInput;
            double loss = softmax.loss(logits, labels, batch);
            pass.set(batch, true);
            if (last == 0) {
                if (inputGrad != null) {
                    softmax.lossGradient(outputs[last], labels, batch, inputGrad);
                }
                return loss;
            }
            softmax.lossGradient(outputs[last], labels, batch, outputGrads[last - 1]);
            for (int i = last - 1; i >= 0; i--) {
                float[] in = i > 0 ? outputs[i - 1] : lastInput;
                float[] inGrad = i > 0 ? outputGrads[i - 1] : inputGrad;
                layers.get(i).backward(pass, in, outputs[i], outputGrads[i], inGrad);
            }
            return loss;
        } finally {
            exit();
        }
    }

    /**
     * Saves the architecture and weights to {@code file} in nnlab's model format (docs/model-format.md),
     * atomically: the file is either the old one or the complete new one, whatever happens meanwhile.
     *
     * @param file the file to create or replace
     * @throws IllegalArgumentException if the net has a layer that is not a built-in type
     * @throws IOException if the file cannot be written
     */
    public void save(Path file) throws IOException {
        ModelFile.save(this, file, Map.of());
    }

    /**
     * Reads a net saved by {@link #save} (or the net of a checkpoint). Everything is validated before
     * it is used; the net predicts bitwise as the saved one did.
     *
     * @param file a model or checkpoint file
     * @return the net, with the saved seed and one thread
     * @throws ModelFormatException naming the field and offset if the file is not a valid model
     * @throws IOException if the file cannot be read
     */
    public static Net load(Path file) throws IOException {
        return ModelFile.load(file).net();
    }

    /**
     * Where the last {@link #forward} first produced a NaN or infinity: "the input", "the output of layer
     * 3 (Conv2d)", or null if nowhere. For error messages; scans every buffer, so not for hot loops.
     *
     * @return where the first non-finite value appeared, or null
     */
    public String locateNonFinite() {
        if (lastInput == null) {
            return null;
        }
        if (!allFinite(lastInput, lastBatch * inputShape.size())) {
            return "the input";
        }
        for (int i = 0; i < layers.size(); i++) {
            if (!allFinite(outputs[i], lastBatch * layers.get(i).outputShape().size())) {
                return "the output of layer " + (i + 1) + " (" + layers.get(i).type() + ")";
            }
        }
        return null;
    }

    private static boolean allFinite(float[] a, int n) {
        for (int i = 0; i < n; i++) {
            if (!Float.isFinite(a[i])) {
                return false;
            }
        }
        return true;
    }

    /** Sets every parameter gradient to zero. */
    public void zeroGradients() {
        for (Parameter p : parameters) {
            p.zeroGrad();
        }
    }

    /**
     * Classifies one example, in inference mode.
     *
     * @param example one example of {@link #inputShape()}, CHW
     * @return the most probable class
     * @throws ShapeException if {@code example} is not {@code inputShape().size()} values long
     */
    public int predict(float[] example) {
        if (example.length != inputShape.size()) {
            throw new ShapeException("input: expected " + inputShape.size() + " values (" + inputShape + "), got "
                    + example.length);
        }
        float[] out = forward(example, 1, false);
        return Tensor.argmax(out, 0, outputShape().size());
    }

    /**
     * Every layer's output for one example, in inference mode, each as a tensor of that layer's output
     * shape (copies): for visualising what the layers see.
     *
     * @param example one example of {@link #inputShape()}, CHW
     * @return one tensor per layer, in order
     * @throws ShapeException if {@code example} is not {@code inputShape().size()} values long
     */
    public List<Tensor> activations(float[] example) {
        if (example.length != inputShape.size()) {
            throw new ShapeException("input: expected " + inputShape.size() + " values (" + inputShape + "), got "
                    + example.length);
        }
        forward(example, 1, false);
        List<Tensor> result = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            Shape shape = layers.get(i).outputShape();
            result.add(new Tensor(shape, 1, java.util.Arrays.copyOf(outputs[i], shape.size())));
        }
        return result;
    }

    /**
     * Classifies each example, in inference mode.
     *
     * @param batch examples of {@link #inputShape()}
     * @return the most probable class of each example
     * @throws ShapeException if the batch's shape is not the input shape
     */
    public int[] predict(Tensor batch) {
        Tensor probabilities = predictProbabilities(batch);
        int classes = outputShape().size();
        int[] result = new int[batch.batch()];
        for (int n = 0; n < result.length; n++) {
            result[n] = Tensor.argmax(probabilities.data(), n * classes, classes);
        }
        return result;
    }

    /**
     * The net's outputs (class probabilities for a softmax net) for each example; no randomness.
     *
     * @param batch examples of {@link #inputShape()}
     * @return a new tensor of {@code batch.batch()} outputs
     * @throws ShapeException if the batch's shape is not the input shape
     */
    public Tensor predictProbabilities(Tensor batch) {
        if (!batch.shape().equals(inputShape)) {
            throw new ShapeException("input: expected examples of " + inputShape + ", got " + batch.shape());
        }
        int outSize = outputShape().size();
        int inSize = inputShape.size();
        float[] result = new float[batch.batch() * outSize];
        float[] chunk = null;
        for (int start = 0; start < batch.batch(); start += INFERENCE_CHUNK) {
            int n = Math.min(INFERENCE_CHUNK, batch.batch() - start);
            float[] in;
            if (start == 0) {
                in = batch.data();
            } else {
                if (chunk == null) {
                    chunk = new float[INFERENCE_CHUNK * inSize];
                }
                System.arraycopy(batch.data(), start * inSize, chunk, 0, n * inSize);
                in = chunk;
            }
            float[] out = forward(in, n, false);
            System.arraycopy(out, 0, result, start * outSize, n * outSize);
        }
        return new Tensor(outputShape(), batch.batch(), result);
    }

    private void checkInput(int length, int batch) {
        if (batch < 1) {
            throw new ShapeException("input: batch size must be >= 1, got " + batch);
        }
        long needed = (long) batch * inputShape.size();
        if (length < needed) {
            throw new ShapeException("input: a batch of " + batch + " x " + inputShape + " needs " + needed
                    + " values, got " + length);
        }
    }

    private void ensureCapacity(int batch) {
        if (batch <= capacity) {
            return;
        }
        capacity = batch;
        outputs = new float[layers.size()][];
        outputGrads = new float[layers.size()][];
        for (int i = 0; i < layers.size(); i++) {
            int size = Math.multiplyExact(capacity, layers.get(i).outputShape().size());
            outputs[i] = new float[size];
            outputGrads[i] = new float[size];
        }
        for (Layer layer : layers) {
            layer.reserve(capacity, workers.threads());
        }
        lastInput = null;
    }

    private void enter() {
        if (!busy.compareAndSet(false, true)) {
            throw new ConcurrentModificationException(
                    "this Net is already in use by another call; a Net serves one thread at a time");
        }
    }

    private void exit() {
        busy.set(false);
    }
}
