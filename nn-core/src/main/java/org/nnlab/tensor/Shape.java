package org.nnlab.tensor;

/**
 * The shape of one example: height x width x channels, as the builder takes it.
 *
 * <p>In memory an example is stored channel-major ("CHW"): channel {@code c}, row {@code y},
 * column {@code x} is at {@code (c * height + y) * width + x}. A batch puts its examples one after
 * another, so example {@code n} starts at {@code n * size()}.
 *
 * @param height rows per channel plane
 * @param width columns per row
 * @param channels channel planes
 */
public record Shape(int height, int width, int channels) {

    /**
     * @param height rows per channel plane, at least 1
     * @param width columns per row, at least 1
     * @param channels channel planes, at least 1
     * @throws IllegalArgumentException if a dimension is below 1 or the example would be too large
     */
    public Shape {
        if (height <= 0 || width <= 0 || channels <= 0) {
            throw new IllegalArgumentException(
                    "shape " + height + "x" + width + "x" + channels + " must be positive in every dimension");
        }
        if ((long) height * width * channels > Integer.MAX_VALUE / 16) {
            throw new IllegalArgumentException(
                    "shape " + height + "x" + width + "x" + channels + " is too large for one example");
        }
    }

    /**
     * A flat vector of {@code length} values, as dense layers see it.
     *
     * @param length number of values
     * @return {@code 1 x 1 x length}
     */
    public static Shape vector(int length) {
        return new Shape(1, 1, length);
    }

    /** @return the number of floats in one example */
    public int size() {
        return height * width * channels;
    }

    /** @return the number of values in one channel plane */
    public int planeSize() {
        return height * width;
    }

    @Override
    public String toString() {
        return height + "x" + width + "x" + channels;
    }
}
