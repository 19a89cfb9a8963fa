package org.nnlab.io;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;

/**
 * Little-endian reader for nnlab's binary files that knows the file's length, so a size read from the
 * file can be checked against the bytes that remain before anything is allocated for it. Every read
 * names its field; any problem is a {@link ModelFormatException} with the source, field and offset.
 */
public final class BinaryReader {
    private final InputStream in;
    private final String source;
    private final long length;
    private final ByteBuffer buffer = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
    private final CRC32C crc = new CRC32C();
    private long consumed; // bytes before buffer.position()

    /**
     * @param in the file's bytes; read through a buffer, never closed here
     * @param source the file's name, for error messages
     * @param length the total number of bytes {@code in} will deliver, trailing checksum included
     */
    public BinaryReader(InputStream in, String source, long length) {
        this.in = in;
        this.source = source;
        this.length = length;
        buffer.limit(0);
    }

    /** @return the file's name as given, for error messages */
    public String source() {
        return source;
    }

    /** @return the offset of the next byte from the start of the file */
    public long offset() {
        return consumed + buffer.position();
    }

    /** @return the number of bytes left before the 4-byte checksum */
    public long remaining() {
        return length - 4 - offset();
    }

    /**
     * @param field the field's name, for error messages
     * @return the next byte, unsigned
     * @throws IOException if the stream fails
     * @throws ModelFormatException if the file ends before the field
     */
    public int u8(String field) throws IOException {
        return need(1, field).get() & 0xFF;
    }

    /**
     * @param field the field's name, for error messages
     * @return the next two bytes as an unsigned little-endian number
     * @throws IOException if the stream fails
     * @throws ModelFormatException if the file ends before the field
     */
    public int u16(String field) throws IOException {
        return need(2, field).getShort() & 0xFFFF;
    }

    /**
     * @param field the field's name, for error messages
     * @return the next four bytes as a little-endian int
     * @throws IOException if the stream fails
     * @throws ModelFormatException if the file ends before the field
     */
    public int i32(String field) throws IOException {
        return need(4, field).getInt();
    }

    /**
     * @param field the field's name, for error messages
     * @return the next eight bytes as a little-endian long
     * @throws IOException if the stream fails
     * @throws ModelFormatException if the file ends before the field
     */
    public long i64(String field) throws IOException {
        return need(8, field).getLong();
    }

    /**
     * @param field the field's name, for error messages
     * @return the next four bytes as a little-endian float32
     * @throws IOException if the stream fails
     * @throws ModelFormatException if the file ends before the field
     */
    public float f32(String field) throws IOException {
        return need(4, field).getFloat();
    }

    /**
     * @param field the field's name, for error messages
     * @return the next eight bytes as a little-endian float64
     * @throws IOException if the stream fails
     * @throws ModelFormatException if the file ends before the field
     */
    public double f64(String field) throws IOException {
        return need(8, field).getDouble();
    }

    /**
     * Reads an int that must lie in {@code [min, max]}.
     *
     * @param field the field's name, for error messages
     * @param min smallest valid value
     * @param max largest valid value
     * @return the value
     * @throws IOException if the stream fails
     * @throws ModelFormatException if the file ends before the field or the value is out of range
     */
    public int i32(String field, int min, int max) throws IOException {
        long at = offset();
        int v = i32(field);
        if (v < min || v > max) {
            throw error(field, at, "expected a value in [" + min + ", " + max + "], found " + v);
        }
        return v;
    }

    /**
     * @param count number of bytes; check it with {@link #requireRemaining} first if it came from the file
     * @param field the field's name, for error messages
     * @return the next {@code count} bytes
     * @throws IOException if the stream fails
     * @throws ModelFormatException if the file ends before them
     */
    public byte[] bytes(int count, String field) throws IOException {
        byte[] b = new byte[count];
        for (int i = 0; i < count; i++) {
            b[i] = need(1, field).get();
        }
        return b;
    }

    /**
     * Reads a UTF-8 string stored as a u16 byte count and the bytes.
     *
     * @param field the field's name, for error messages
     * @param maxBytes the longest valid encoding
     * @return the string
     * @throws IOException if the stream fails
     * @throws ModelFormatException if the count is too large for {@code maxBytes} or the file, or the bytes
     *     are not valid UTF-8
     */
    public String string(String field, int maxBytes) throws IOException {
        long at = offset();
        int n = u16(field + " length");
        if (n > maxBytes || n > remaining()) {
            throw error(field, at, "expected at most " + Math.min(maxBytes, Math.max(0, remaining()))
                    + " bytes, found a length of " + n);
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes(n, field))).toString();
        } catch (CharacterCodingException e) {
            throw error(field, at, "not valid UTF-8");
        }
    }

    /**
     * Fills {@code dst} with float32 values; the caller has already checked they fit the file.
     *
     * @param dst overwritten with the next {@code dst.length} floats
     * @param field the field's name, for error messages
     * @throws IOException if the stream fails
     * @throws ModelFormatException if the file ends before them
     */
    public void floats(float[] dst, String field) throws IOException {
        for (int i = 0; i < dst.length; i++) {
            dst[i] = need(4, field).getFloat();
        }
    }

    /**
     * Throws unless {@code count} items of {@code bytesEach} bytes fit in what remains of the file: call
     * before allocating for them.
     *
     * @param count number of items, as read from the file
     * @param bytesEach size of one item
     * @param field the field's name, for error messages
     * @throws ModelFormatException if {@code count} is negative or the items do not fit
     */
    public void requireRemaining(long count, int bytesEach, String field) throws ModelFormatException {
        if (count < 0 || count > remaining() / bytesEach) {
            throw error(field, offset(), "needs " + count + " x " + bytesEach + " bytes but only " + remaining()
                    + " remain before the checksum (file truncated or header corrupt)");
        }
    }

    /**
     * Reads the trailing CRC-32C and checks it against everything read; the file must end there.
     *
     * @throws IOException if the stream fails
     * @throws ModelFormatException if bytes remain before the checksum, the checksum differs, or bytes follow it
     */
    public void verifyChecksum() throws IOException {
        if (remaining() != 0) {
            throw error("end of data", offset(), "expected the checksum here, found " + remaining()
                    + " more bytes (file has trailing data or a corrupt header)");
        }
        crc.update(buffer.array(), buffer.arrayOffset(), buffer.position());
        consumed += buffer.position();
        buffer.position(0);
        buffer.limit(0);
        long at = offset();
        int expected = (int) crc.getValue();
        int found = ByteBuffer.wrap(rawBytes(4, "checksum")).order(ByteOrder.LITTLE_ENDIAN).getInt();
        if (found != expected) {
            throw error("checksum", at, String.format("expected CRC-32C %08x of the content, found %08x "
                    + "(file corrupt)", expected, found));
        }
        if (in.read() != -1) {
            throw error("end of file", at + 4, "expected the end of the file after the checksum");
        }
    }

    /**
     * @param field the field's name
     * @param at the field's offset in the file
     * @param problem what is wrong, e.g. "expected ..., found ..."
     * @return an exception naming this reader's source, the field and the offset, for the caller to throw
     */
    public ModelFormatException error(String field, long at, String problem) {
        return new ModelFormatException(source, field, at, problem);
    }

    private ByteBuffer need(int bytes, String field) throws IOException {
        if (buffer.remaining() >= bytes) {
            return buffer;
        }
        if (offset() + bytes > length - 4) {
            throw error(field, offset(), "file ends (or reaches its checksum) after " + offset() + " bytes; "
                    + "expected " + bytes + " more for this field (file truncated?)");
        }
        crc.update(buffer.array(), 0, buffer.position());
        consumed += buffer.position();
        buffer.compact();
        int want = (int) Math.min(buffer.capacity(), length - 4 - consumed);
        while (buffer.position() < want) {
            int n = in.read(buffer.array(), buffer.position(), want - buffer.position());
            if (n < 0) {
                throw error(field, offset(), "unexpected end of file");
            }
            buffer.position(buffer.position() + n);
        }
        buffer.flip();
        return buffer;
    }

    private byte[] rawBytes(int n, String field) throws IOException {
        byte[] b = new byte[n];
        int read = 0;
        while (read < n) {
            int r = in.read(b, read, n - read);
            if (r < 0) {
                throw new EOFException(source + ": " + field + ": unexpected end of file");
            }
            read += r;
        }
        return b;
    }
}
