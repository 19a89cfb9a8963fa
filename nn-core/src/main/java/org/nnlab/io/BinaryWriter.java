package org.nnlab.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;

/**
 * Little-endian writer for nnlab's binary files, keeping a CRC-32C of everything written;
 * {@link #finish()} appends it. The counterpart of {@link BinaryReader}.
 */
public final class BinaryWriter {
    private final OutputStream out;
    private final ByteBuffer buffer = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
    private final CRC32C crc = new CRC32C();

    /** @param out where the bytes go, through a buffer; not closed by this writer */
    public BinaryWriter(OutputStream out) {
        this.out = out;
    }

    /**
     * @param b written as is
     * @return this writer
     * @throws IOException if the stream fails
     */
    public BinaryWriter bytes(byte[] b) throws IOException {
        for (byte x : b) {
            room(1).put(x);
        }
        return this;
    }

    /**
     * @param v written as one byte (its low 8 bits)
     * @return this writer
     * @throws IOException if the stream fails
     */
    public BinaryWriter u8(int v) throws IOException {
        room(1).put((byte) v);
        return this;
    }

    /**
     * @param v written as two bytes, little-endian (its low 16 bits)
     * @return this writer
     * @throws IOException if the stream fails
     */
    public BinaryWriter u16(int v) throws IOException {
        room(2).putShort((short) v);
        return this;
    }

    /**
     * @param v written as four bytes, little-endian
     * @return this writer
     * @throws IOException if the stream fails
     */
    public BinaryWriter i32(int v) throws IOException {
        room(4).putInt(v);
        return this;
    }

    /**
     * @param v written as eight bytes, little-endian
     * @return this writer
     * @throws IOException if the stream fails
     */
    public BinaryWriter i64(long v) throws IOException {
        room(8).putLong(v);
        return this;
    }

    /**
     * @param v written as a little-endian float32
     * @return this writer
     * @throws IOException if the stream fails
     */
    public BinaryWriter f32(float v) throws IOException {
        room(4).putFloat(v);
        return this;
    }

    /**
     * @param v written as a little-endian float64
     * @return this writer
     * @throws IOException if the stream fails
     */
    public BinaryWriter f64(double v) throws IOException {
        room(8).putDouble(v);
        return this;
    }

    /**
     * Writes a u16 byte count and the UTF-8 bytes.
     *
     * @param s the string; at most 65 535 bytes in UTF-8
     * @return this writer
     * @throws IOException if the stream fails
     * @throws IllegalArgumentException if {@code s} is too long
     */
    public BinaryWriter string(String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        if (b.length > 0xFFFF) {
            throw new IllegalArgumentException("string longer than 65535 bytes: " + s.substring(0, 40) + "...");
        }
        u16(b.length);
        return bytes(b);
    }

    /**
     * Writes all values of {@code a} as float32, without a length.
     *
     * @param a the values
     * @return this writer
     * @throws IOException if the stream fails
     */
    public BinaryWriter floats(float[] a) throws IOException {
        for (float v : a) {
            room(4).putFloat(v);
        }
        return this;
    }

    /**
     * Appends the CRC-32C of all bytes written so far and flushes.
     *
     * @throws IOException if the stream fails
     */
    public void finish() throws IOException {
        drain();
        ByteBuffer tail = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt((int) crc.getValue());
        out.write(tail.array());
        out.flush();
    }

    private ByteBuffer room(int bytes) throws IOException {
        if (buffer.remaining() < bytes) {
            drain();
        }
        return buffer;
    }

    private void drain() throws IOException {
        crc.update(buffer.array(), 0, buffer.position());
        out.write(buffer.array(), 0, buffer.position());
        buffer.clear();
    }
}
