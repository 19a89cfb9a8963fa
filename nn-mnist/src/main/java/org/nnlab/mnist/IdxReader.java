package org.nnlab.mnist;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads IDX files of unsigned bytes: labels ({@code idx1}, magic 0x00000801) and images
 * ({@code idx3}, magic 0x00000803), raw or gzip-compressed (recognised by the bytes, not the name).
 *
 * <p>Nothing in a header is trusted. Dimensions must be positive and at most {@value #MAX_DIMENSION};
 * the declared data size must fit a Java array and, for a raw file, equal the file's real length; for
 * a gzip file it must be possible at all (deflate expands at most 1032:1). Data is read into a buffer
 * that grows only as bytes really arrive, so a hostile count cannot allocate more than about twice
 * the real data. Short or over-long data, wrong magic and bad labels raise {@link IdxFormatException}.
 */
public final class IdxReader {
    /** Largest accepted size of one dimension. */
    public static final int MAX_DIMENSION = 1 << 24;
    private static final int LABELS_MAGIC = 0x801, IMAGES_MAGIC = 0x803;
    private static final long MAX_DEFLATE_RATIO = 1032;
    private static final int MAX_ARRAY = Integer.MAX_VALUE - 64;

    private IdxReader() {
    }

    /**
     * Labels: {@code count} unsigned bytes, plus the SHA-256 of the decompressed file.
     *
     * @param values one byte per label
     * @param sha256 lower-case hex digest of the decompressed file
     */
    public record Labels(byte[] values, String sha256) {
        /** @return the number of labels */
        public int count() {
            return values.length;
        }

        /**
         * @param i label index
         * @return label {@code i}, 0..255
         */
        public int get(int i) {
            return values[i] & 0xff;
        }
    }

    /**
     * Images: {@code count} images of {@code rows x cols} unsigned bytes, row-major, plus the SHA-256.
     *
     * @param count  number of images
     * @param rows   rows per image
     * @param cols   columns per row
     * @param pixels {@code count * rows * cols} bytes
     * @param sha256 lower-case hex digest of the decompressed file
     */
    public record Images(int count, int rows, int cols, byte[] pixels, String sha256) {
    }

    /**
     * Reads a label file and checks every label is below {@code numClasses}.
     *
     * @param file an IDX1 file, raw or gzipped
     * @param numClasses labels must be below this
     * @return the labels and the file's SHA-256
     * @throws IdxFormatException if the file is malformed or a label is out of range
     * @throws IOException        if it cannot be read
     */
    public static Labels readLabels(Path file, int numClasses) throws IOException {
        try (Source in = open(file)) {
            int magic = in.readInt("magic");
            if (magic != LABELS_MAGIC) {
                throw in.error("magic", 0, String.format("expected 0x00000801 (idx1 unsigned bytes), found 0x%08x",
                        magic));
            }
            int count = in.readDimension("item count");
            byte[] values = in.readData("labels", count);
            for (int i = 0; i < count; i++) {
                if ((values[i] & 0xff) >= numClasses) {
                    throw in.error("label " + i, 8 + i, "value " + (values[i] & 0xff) + " is not a class in [0, "
                            + numClasses + ")");
                }
            }
            return new Labels(values, in.finish());
        }
    }

    /**
     * Reads an image file.
     *
     * @param file an IDX3 file of unsigned bytes, raw or gzipped
     * @return the images and the file's SHA-256
     * @throws IdxFormatException if the file is malformed
     * @throws IOException        if it cannot be read
     */
    public static Images readImages(Path file) throws IOException {
        try (Source in = open(file)) {
            int magic = in.readInt("magic");
            if (magic != IMAGES_MAGIC) {
                throw in.error("magic", 0, String.format("expected 0x00000803 (idx3 unsigned bytes), found 0x%08x",
                        magic));
            }
            int count = in.readDimension("item count");
            int rows = in.readDimension("rows");
            int cols = in.readDimension("columns");
            long size = (long) count * rows * cols;
            if (size > MAX_ARRAY) {
                throw in.error("item count", 4, count + " images of " + rows + "x" + cols + " is " + size
                        + " bytes, more than one array can hold");
            }
            byte[] pixels = in.readData("pixels", (int) size);
            return new Images(count, rows, cols, pixels, in.finish());
        }
    }

    private static Source open(Path file) throws IOException {
        long length = Files.size(file);
        InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        raw.mark(2);
        int b0 = raw.read(), b1 = raw.read();
        raw.reset();
        boolean gzip = b0 == 0x1f && b1 == 0x8b;
        InputStream data = raw;
        if (gzip) {
            try {
                data = new BufferedInputStream(new GZIPInputStream(raw, 1 << 16), 1 << 16);
            } catch (ZipException | EOFException e) {
                raw.close();
                throw new IdxFormatException(file, "gzip header", 0, "not a valid gzip stream (" + e.getMessage() + ")");
            }
        }
        long maxData = gzip ? Math.min(Long.MAX_VALUE / 2, length * MAX_DEFLATE_RATIO) : length;
        return new Source(file, data, maxData, gzip);
    }

    /** A counting, hashing reader over the decompressed bytes. */
    private static final class Source implements AutoCloseable {
        private final Path file;
        private final DigestInputStream in;
        private final long maxData;
        private final boolean gzip;
        private long offset;

        Source(Path file, InputStream data, long maxData, boolean gzip) {
            this.file = file;
            this.in = new DigestInputStream(data, sha256());
            this.maxData = maxData;
            this.gzip = gzip;
        }

        int readInt(String field) throws IOException {
            int v = 0;
            for (int i = 0; i < 4; i++) {
                int b = read(field);
                v = (v << 8) | b;
            }
            return v;
        }

        int readDimension(String field) throws IOException {
            long at = offset;
            int v = readInt(field);
            if (v <= 0 || v > MAX_DIMENSION) {
                throw error(field, at, "value " + Integer.toUnsignedLong(v) + " is not in [1, " + MAX_DIMENSION + "]");
            }
            return v;
        }

        byte[] readData(String field, int size) throws IOException {
            long start = offset;
            if (start + size > maxData) {
                throw error(field, start, "header declares " + size + " bytes of data but the " + (gzip
                        ? "compressed file can hold at most " + (maxData - start)
                        : "file has " + (maxData - start)));
            }
            byte[] data = new byte[Math.min(size, 1 << 20)];
            int filled = 0;
            while (filled < size) {
                if (filled == data.length) {
                    data = Arrays.copyOf(data, (int) Math.min(size, 2L * data.length));
                }
                int n;
                try {
                    n = in.read(data, filled, data.length - filled);
                } catch (ZipException | EOFException e) {
                    throw error(field, offset, "corrupt compressed data (" + e.getMessage() + ")");
                }
                if (n < 0) {
                    throw error(field, offset, "file ends after " + filled + " of " + size + " bytes (truncated)");
                }
                filled += n;
                offset += n;
            }
            return data;
        }

        /** Checks nothing follows the data and returns the SHA-256 of everything read. */
        String finish() throws IOException {
            int extra;
            try {
                extra = in.read();
            } catch (ZipException | EOFException e) {
                throw error("end of data", offset, "corrupt compressed data (" + e.getMessage() + ")");
            }
            if (extra >= 0) {
                throw error("end of data", offset, "unexpected bytes after the declared data (wrong header counts?)");
            }
            return HexFormat.of().formatHex(in.getMessageDigest().digest());
        }

        private int read(String field) throws IOException {
            int b;
            try {
                b = in.read();
            } catch (ZipException | EOFException e) {
                throw error(field, offset, "corrupt compressed data (" + e.getMessage() + ")");
            }
            if (b < 0) {
                throw error(field, offset, "file ends inside the header (truncated)");
            }
            offset++;
            return b;
        }

        IdxFormatException error(String field, long at, String problem) {
            return new IdxFormatException(file, field, at, problem);
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
