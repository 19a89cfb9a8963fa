package org.nnlab.examples;

import java.util.ArrayList;
import java.util.List;

/** Draws grey images as text: 2 columns x 4 rows of pixels per character, 10 shades. */
final class DigitArt {
    private static final String SHADES = " .:-=+*#%@";
    static final String GREEN = "\u001b[32m", RED = "\u001b[31m", RESET = "\u001b[0m";

    private DigitArt() {
    }

    /** One image ({@code side x side}, values 0..1) as lines of {@code side/2} characters. */
    static List<String> render(float[] image, int offset, int side) {
        List<String> lines = new ArrayList<>();
        for (int y = 0; y + 3 < side + 3 && y < side; y += 4) {
            StringBuilder line = new StringBuilder();
            for (int x = 0; x < side; x += 2) {
                float sum = 0;
                int n = 0;
                for (int dy = 0; dy < 4 && y + dy < side; dy++) {
                    for (int dx = 0; dx < 2 && x + dx < side; dx++) {
                        sum += image[offset + (y + dy) * side + x + dx];
                        n++;
                    }
                }
                float v = Math.max(0, Math.min(1, sum / n));
                line.append(SHADES.charAt(Math.min(SHADES.length() - 1, (int) (v * SHADES.length()))));
            }
            lines.add(line.toString());
        }
        return lines;
    }

    /**
     * A grid of images, {@code perRow} per row, each captioned with its prediction: "7 ok" or
     * "2 NO (3)" (predicted 2, truly 3), green or red when {@code colour}.
     */
    static String grid(float[] images, int side, int count, int[] predicted, int[] actual, int perRow,
                       boolean colour) {
        StringBuilder sb = new StringBuilder();
        int width = side / 2 + 3;
        for (int start = 0; start < count; start += perRow) {
            int end = Math.min(count, start + perRow);
            List<List<String>> art = new ArrayList<>();
            for (int i = start; i < end; i++) {
                art.add(render(images, i * side * side, side));
            }
            for (int line = 0; line < art.get(0).size(); line++) {
                for (List<String> a : art) {
                    sb.append(pad(a.get(line), width));
                }
                sb.append('\n');
            }
            for (int i = start; i < end; i++) {
                boolean right = predicted[i] == actual[i];
                String caption = right ? predicted[i] + " ok" : predicted[i] + " NO (" + actual[i] + ")";
                String padded = pad(caption, width);
                sb.append(colour ? (right ? GREEN : RED) + padded + RESET : padded);
            }
            sb.append("\n\n");
        }
        return sb.toString();
    }

    private static String pad(String s, int width) {
        return s.length() >= width ? s : s + " ".repeat(width - s.length());
    }
}
