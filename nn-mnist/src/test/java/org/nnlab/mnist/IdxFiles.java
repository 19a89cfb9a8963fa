package org.nnlab.mnist;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.zip.GZIPOutputStream;

/** Builds small IDX files in memory for tests. */
final class IdxFiles {
    private IdxFiles() {
    }

    static byte[] labels(byte[] values) {
        return ByteBuffer.allocate(8 + values.length).putInt(0x801).putInt(values.length).put(values).array();
    }

    static byte[] images(int count, int rows, int cols, byte[] pixels) {
        return ByteBuffer.allocate(16 + pixels.length).putInt(0x803).putInt(count).putInt(rows).putInt(cols)
                .put(pixels).array();
    }

    static byte[] gzip(byte[] raw) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
                out.write(raw);
            }
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String sha256(byte[] raw) {
        return HexFormat.of().formatHex(IdxReader.sha256().digest(raw));
    }

    /** Deterministic fake MNIST: image i has pixel j = (i * 31 + j) mod 256, label i mod 10. */
    static byte[] mnistPixels(int count) {
        byte[] p = new byte[count * 784];
        for (int i = 0; i < count; i++) {
            for (int j = 0; j < 784; j++) {
                p[i * 784 + j] = (byte) ((i * 31 + j) % 256);
            }
        }
        return p;
    }

    static byte[] mnistLabels(int count) {
        byte[] l = new byte[count];
        for (int i = 0; i < count; i++) {
            l[i] = (byte) (i % 10);
        }
        return l;
    }
}
