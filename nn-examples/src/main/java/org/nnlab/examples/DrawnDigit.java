package org.nnlab.examples;

/**
 * Turns a digit drawn on a 28x28 canvas into what the net was trained on, the way MNIST itself was
 * made: the ink's bounding box is scaled (keeping its aspect ratio) to fit 20x20, placed so its centre
 * of mass sits at the image centre, then the centre 24x24 crop is taken and scaled {@code p - 0.5}.
 */
final class DrawnDigit {
    static final int SIDE = 28, BOX = 20, CROP = 24;

    private DrawnDigit() {
    }

    /** @param ink 784 values in [0, 1], row by row; returns the normalised 28x28 image, values in [0, 1] */
    static float[] normalise(float[] ink) {
        int top = SIDE, bottom = -1, left = SIDE, right = -1;
        for (int y = 0; y < SIDE; y++) {
            for (int x = 0; x < SIDE; x++) {
                if (ink[y * SIDE + x] > 0.05f) {
                    top = Math.min(top, y);
                    bottom = Math.max(bottom, y);
                    left = Math.min(left, x);
                    right = Math.max(right, x);
                }
            }
        }
        float[] out = new float[SIDE * SIDE];
        if (bottom < 0) {
            return out; // nothing drawn
        }
        int h = bottom - top + 1, w = right - left + 1;
        double scale = (double) BOX / Math.max(h, w);
        int sh = Math.max(1, (int) Math.round(h * scale)), sw = Math.max(1, (int) Math.round(w * scale));
        float[] box = new float[sh * sw];
        for (int y = 0; y < sh; y++) { // bilinear sampling of the bounding box
            for (int x = 0; x < sw; x++) {
                double sy = top + (y + 0.5) / scale - 0.5, sx = left + (x + 0.5) / scale - 0.5;
                box[y * sw + x] = sample(ink, sy, sx);
            }
        }
        double mass = 0, my = 0, mx = 0;
        for (int y = 0; y < sh; y++) {
            for (int x = 0; x < sw; x++) {
                double v = box[y * sw + x];
                mass += v;
                my += v * y;
                mx += v * x;
            }
        }
        int oy = (int) Math.round(SIDE / 2.0 - (mass > 0 ? my / mass : sh / 2.0) - 0.5);
        int ox = (int) Math.round(SIDE / 2.0 - (mass > 0 ? mx / mass : sw / 2.0) - 0.5);
        for (int y = 0; y < sh; y++) {
            for (int x = 0; x < sw; x++) {
                int ty = y + oy, tx = x + ox;
                if (ty >= 0 && ty < SIDE && tx >= 0 && tx < SIDE) {
                    out[ty * SIDE + tx] = Math.min(1f, box[y * sw + x]);
                }
            }
        }
        return out;
    }

    /** The centre 24x24 crop of a normalised image, scaled as the lab's training data ({@code p - 0.5}). */
    static float[] netInput(float[] image) {
        int off = (SIDE - CROP) / 2;
        float[] in = new float[CROP * CROP];
        for (int y = 0; y < CROP; y++) {
            for (int x = 0; x < CROP; x++) {
                in[y * CROP + x] = image[(y + off) * SIDE + x + off] - 0.5f;
            }
        }
        return in;
    }

    private static float sample(float[] img, double y, double x) {
        int y0 = (int) Math.floor(y), x0 = (int) Math.floor(x);
        double fy = y - y0, fx = x - x0;
        return (float) ((1 - fy) * ((1 - fx) * at(img, y0, x0) + fx * at(img, y0, x0 + 1))
                + fy * ((1 - fx) * at(img, y0 + 1, x0) + fx * at(img, y0 + 1, x0 + 1)));
    }

    private static float at(float[] img, int y, int x) {
        return y >= 0 && y < SIDE && x >= 0 && x < SIDE ? img[y * SIDE + x] : 0f;
    }
}
