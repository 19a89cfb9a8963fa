package org.nnlab.mnist;

import java.util.List;
import java.util.random.RandomGenerator;
import org.nnlab.data.Dataset;
import org.nnlab.tensor.Shape;

/**
 * 28x28 grey images with labels, as an nn-core {@link Dataset}, seen through an immutable view: a
 * crop size, a pixel scaling, and a range of examples. Views share the pixel bytes, so they are free.
 *
 * <p>The lab's augmentation: with {@code withCrop(24)}, training ({@code copyExample} with a random
 * stream) takes a fresh random 24x24 window of the 28x28 image for every example, and evaluation
 * (no stream) takes the centre window. Pixels are stored as bytes (47 MB for 60 000 images instead
 * of 188 MB as floats) and converted through a 256-entry table, with no allocation per image.
 */
public final class MnistDataset implements Dataset {
    /** Side of an MNIST image. */
    public static final int SIDE = 28;

    /** How a pixel byte p becomes a float. */
    public enum Scaling {
        /** p / 255, in [0, 1] (the default). */
        UNIT,
        /** p / 255 - 0.5, in [-0.5, 0.5], as ConvNetJS's MNIST demo. */
        CENTERED
    }

    private final byte[] pixels;
    private final byte[] labels;
    private final List<String> classNames;
    private final int first, count, crop;
    private final Scaling scaling;
    private final float[] table;
    private final Shape shape;

    /**
     * Wraps {@code pixels} (count x 28 x 28 bytes) and {@code labels} (count bytes); not copied.
     *
     * @param pixels {@code count * 28 * 28} bytes, unsigned, row-major
     * @param labels {@code count} bytes, each a class index
     * @param classNames one name per class
     * @throws IllegalArgumentException if the sizes disagree or a label is not a class index
     */
    public MnistDataset(byte[] pixels, byte[] labels, List<String> classNames) {
        this(pixels, labels, List.copyOf(classNames), 0, labels.length, SIDE, Scaling.UNIT);
        if ((long) labels.length * SIDE * SIDE != pixels.length) {
            throw new IllegalArgumentException(labels.length + " labels need " + (long) labels.length * SIDE * SIDE
                    + " pixel bytes, got " + pixels.length);
        }
        for (int i = 0; i < labels.length; i++) {
            if ((labels[i] & 0xff) >= classNames.size()) {
                throw new IllegalArgumentException("label of example " + i + " is " + (labels[i] & 0xff)
                        + ", expected a class in [0, " + classNames.size() + ")");
            }
        }
    }

    private MnistDataset(byte[] pixels, byte[] labels, List<String> classNames, int first, int count, int crop,
                         Scaling scaling) {
        this.pixels = pixels;
        this.labels = labels;
        this.classNames = classNames;
        this.first = first;
        this.count = count;
        this.crop = crop;
        this.scaling = scaling;
        this.shape = new Shape(crop, crop, 1);
        this.table = new float[256];
        for (int p = 0; p < 256; p++) {
            table[p] = scaling == Scaling.UNIT ? p / 255f : p / 255f - 0.5f;
        }
    }

    /**
     * This view with {@code crop x crop} windows: random in training, centred in evaluation.
     *
     * @param crop window side, 1..28
     * @return a new view on the same arrays
     * @throws IllegalArgumentException if {@code crop} is outside 1..28
     */
    public MnistDataset withCrop(int crop) {
        if (crop < 1 || crop > SIDE) {
            throw new IllegalArgumentException("crop must be in [1, 28], got " + crop);
        }
        return new MnistDataset(pixels, labels, classNames, first, count, crop, scaling);
    }

    /**
     * @param scaling how pixel bytes become floats
     * @return a new view on the same arrays
     */
    public MnistDataset withScaling(Scaling scaling) {
        return new MnistDataset(pixels, labels, classNames, first, count, crop, scaling);
    }

    /**
     * Examples {@code [from, from + length)} of this view.
     *
     * @param from first example
     * @param length number of examples
     * @return a new view on the same arrays
     * @throws IndexOutOfBoundsException if the range is not inside this view
     */
    public MnistDataset subset(int from, int length) {
        if (from < 0 || length < 0 || from + length > count) {
            throw new IndexOutOfBoundsException("subset [" + from + ", " + (from + length) + ") of " + count
                    + " examples");
        }
        return new MnistDataset(pixels, labels, classNames, first + from, length, crop, scaling);
    }

    /** @return one name per class */
    public List<String> classNames() {
        return classNames;
    }

    /** @return the window side, 1..28 (28: no cropping) */
    public int crop() {
        return crop;
    }

    /** @return how pixel bytes become floats */
    public Scaling scaling() {
        return scaling;
    }

    @Override
    public int size() {
        return count;
    }

    @Override
    public Shape shape() {
        return shape;
    }

    @Override
    public int numClasses() {
        return classNames.size();
    }

    @Override
    public int label(int index) {
        return labels[first + checkIndex(index)] & 0xff;
    }

    /** Centre window in evaluation; a uniformly random window (offsets 0..28-crop) in training. */
    @Override
    public void copyExample(int index, float[] dst, int offset, RandomGenerator augmentation) {
        int slack = SIDE - crop;
        int dx = augmentation == null ? slack / 2 : augmentation.nextInt(slack + 1);
        int dy = augmentation == null ? slack / 2 : augmentation.nextInt(slack + 1);
        copyWindow(index, dx, dy, dst, offset);
    }

    /**
     * Copies the {@code crop x crop} window at column {@code dx}, row {@code dy} of example {@code index}.
     *
     * @param index example in this view
     * @param dx first column, {@code 0 .. 28 - crop}
     * @param dy first row, {@code 0 .. 28 - crop}
     * @param dst receives {@code crop * crop} scaled values
     * @param offset where they start in {@code dst}
     */
    public void copyWindow(int index, int dx, int dy, float[] dst, int offset) {
        checkIndex(index);
        if (dx < 0 || dy < 0 || dx + crop > SIDE || dy + crop > SIDE) {
            throw new IndexOutOfBoundsException("window at (" + dx + ", " + dy + ") of size " + crop
                    + " leaves the 28x28 image");
        }
        int src = (first + index) * SIDE * SIDE + dy * SIDE + dx;
        for (int y = 0; y < crop; y++, src += SIDE) {
            int d = offset + y * crop;
            for (int x = 0; x < crop; x++) {
                dst[d + x] = table[pixels[src + x] & 0xff];
            }
        }
    }

    /**
     * @param index example in this view
     * @return the raw 0-255 pixels of the example, 28x28 row-major (a copy)
     */
    public int[] rawImage(int index) {
        checkIndex(index);
        int[] out = new int[SIDE * SIDE];
        for (int i = 0; i < out.length; i++) {
            out[i] = pixels[(first + index) * SIDE * SIDE + i] & 0xff;
        }
        return out;
    }

    private int checkIndex(int index) {
        if (index < 0 || index >= count) {
            throw new IndexOutOfBoundsException("example " + index + " of " + count);
        }
        return index;
    }
}
