package org.nnlab.mnist;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.zip.GZIPInputStream;

/**
 * Streams chosen regular files out of a {@code .tgz}. Only entries whose exact names are asked for are
 * read, and they are handed to the caller as streams: no path from the archive ever becomes a file
 * name, so there is nothing to traverse (no "zip slip").
 */
final class TarReader {

    @FunctionalInterface
    interface EntryHandler {
        void accept(String name, InputStream content) throws IOException;
    }

    private TarReader() {
    }

    static void extract(Path tgz, Set<String> names, long maxEntryBytes, EntryHandler handler) throws IOException {
        try (InputStream in = new BufferedInputStream(new GZIPInputStream(Files.newInputStream(tgz), 1 << 16))) {
            byte[] header = new byte[512];
            while (true) {
                if (!readFully(in, header)) {
                    return;
                }
                if (isZero(header)) {
                    return;
                }
                String name = string(header, 0, 100);
                String prefix = string(header, 345, 155);
                if (!prefix.isEmpty() && string(header, 257, 6).startsWith("ustar")) {
                    name = prefix + "/" + name;
                }
                long size = octal(header, 124, 12);
                if (size < 0 || size > maxEntryBytes) {
                    throw new IOException(tgz + ": entry " + name + " has an impossible size");
                }
                byte type = header[156];
                long padded = (size + 511) / 512 * 512;
                if ((type == '0' || type == 0) && names.contains(name)) {
                    Bounded content = new Bounded(in, size);
                    handler.accept(name, content);
                    skip(in, content.remaining + (padded - size));
                } else {
                    skip(in, padded);
                }
            }
        }
    }

    private static boolean readFully(InputStream in, byte[] b) throws IOException {
        int filled = 0;
        while (filled < b.length) {
            int n = in.read(b, filled, b.length - filled);
            if (n < 0) {
                if (filled == 0) {
                    return false;
                }
                throw new EOFException("truncated tar header");
            }
            filled += n;
        }
        return true;
    }

    private static void skip(InputStream in, long n) throws IOException {
        while (n > 0) {
            long s = in.skip(n);
            if (s <= 0) {
                if (in.read() < 0) {
                    throw new EOFException("truncated tar entry");
                }
                s = 1;
            }
            n -= s;
        }
    }

    private static boolean isZero(byte[] b) {
        for (byte x : b) {
            if (x != 0) {
                return false;
            }
        }
        return true;
    }

    private static String string(byte[] b, int off, int len) {
        int end = off;
        while (end < off + len && b[end] != 0) {
            end++;
        }
        return new String(b, off, end - off, StandardCharsets.UTF_8);
    }

    private static long octal(byte[] b, int off, int len) {
        long v = 0;
        for (int i = off; i < off + len; i++) {
            byte c = b[i];
            if (c == 0 || c == ' ') {
                if (v > 0 || i > off) {
                    break;
                }
                continue;
            }
            if (c < '0' || c > '7') {
                return -1;
            }
            v = v * 8 + (c - '0');
        }
        return v;
    }

    /** At most {@code limit} bytes of the underlying stream; close does nothing. */
    private static final class Bounded extends FilterInputStream {
        long remaining;

        Bounded(InputStream in, long limit) {
            super(in);
            this.remaining = limit;
        }

        @Override
        public int read() throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int b = in.read();
            if (b >= 0) {
                remaining--;
            }
            return b;
        }

        @Override
        public int read(byte[] buf, int off, int len) throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int n = in.read(buf, off, (int) Math.min(len, remaining));
            if (n > 0) {
                remaining -= n;
            }
            return n;
        }

        @Override
        public void close() {
        }
    }
}
