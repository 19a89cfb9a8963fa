package org.nnlab.mnist;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;
import org.nnlab.tensor.SeededRandom;

class IdxReaderTest {

    static Path write(byte[] content) {
        try {
            Path file = Files.createTempFile("idx-test", ".idx");
            file.toFile().deleteOnExit();
            Files.write(file, content);
            return file;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Property(tries = 50)
    void validImageFilesRoundTripRawAndGzip(@ForAll @IntRange(min = 1, max = 20) int count,
                                            @ForAll @IntRange(min = 1, max = 30) int rows,
                                            @ForAll @IntRange(min = 1, max = 30) int cols,
                                            @ForAll boolean gzip, @ForAll long seed) throws IOException {
        byte[] pixels = new byte[count * rows * cols];
        new SeededRandom(seed).nextBytes(pixels);
        byte[] raw = IdxFiles.images(count, rows, cols, pixels);
        IdxReader.Images images = IdxReader.readImages(write(gzip ? IdxFiles.gzip(raw) : raw));
        assertEquals(count, images.count());
        assertEquals(rows, images.rows());
        assertEquals(cols, images.cols());
        assertArrayEquals(pixels, images.pixels());
        assertEquals(IdxFiles.sha256(raw), images.sha256());
    }

    @Property(tries = 50)
    void validLabelFilesRoundTrip(@ForAll @Size(min = 1, max = 300) byte[] values, @ForAll boolean gzip)
            throws IOException {
        for (int i = 0; i < values.length; i++) {
            values[i] = (byte) Math.floorMod(values[i], 10);
        }
        byte[] raw = IdxFiles.labels(values);
        IdxReader.Labels labels = IdxReader.readLabels(write(gzip ? IdxFiles.gzip(raw) : raw), 10);
        assertArrayEquals(values, labels.values());
        assertEquals(IdxFiles.sha256(raw), labels.sha256());
    }

    @Property(tries = 100)
    void truncatedFilesAlwaysFailWithTheTypedException(@ForAll @IntRange(min = 0, max = 10_000) int cut,
                                                       @ForAll boolean gzip) {
        byte[] raw = IdxFiles.images(3, 28, 28, IdxFiles.mnistPixels(3));
        byte[] file = gzip ? IdxFiles.gzip(raw) : raw;
        byte[] truncated = Arrays.copyOf(file, cut % file.length);
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> IdxReader.readImages(write(truncated)));
        assertTrue(e.getMessage().contains(" at byte "), e.getMessage());
    }

    @Property(tries = 200)
    void bitFlipsGiveTheTypedExceptionOrAFileOfTheSameShape(@ForAll @IntRange(min = 0, max = 100_000) int position,
                                                            @ForAll @IntRange(min = 0, max = 7) int bit,
                                                            @ForAll boolean gzip) throws IOException {
        byte[] raw = IdxFiles.images(4, 28, 28, IdxFiles.mnistPixels(4));
        String original = IdxFiles.sha256(raw);
        byte[] file = gzip ? IdxFiles.gzip(raw) : raw.clone();
        file[position % file.length] ^= (byte) (1 << bit);
        Path path = write(file);
        try {
            IdxReader.Images images = IdxReader.readImages(path);
            // a flip inside the pixels is undetectable by format; the checksum catches it (MnistSplits)
            assertEquals(4 * 28 * 28, images.pixels().length);
            // gzip may absorb a flip in its header's optional fields; raw content must change the hash
            assertTrue(gzip || !images.sha256().equals(original), "changed content, changed hash");
        } catch (IdxFormatException expected) {
            assertEquals(path, expected.file());
        }
    }

    @Provide
    Arbitrary<Integer> hostileCounts() {
        return Arbitraries.of(0, -1, Integer.MIN_VALUE, Integer.MAX_VALUE, 1 << 24 + 1, 60_001, 1_000_000, 1 << 30);
    }

    @Property(tries = 60)
    void hostileHeadersFailFastWithoutBigAllocations(@ForAll("hostileCounts") int count,
                                                     @ForAll @IntRange(min = 0, max = 3) int field,
                                                     @ForAll boolean gzip) {
        int[] header = {0x803, 2, 28, 28};
        header[field == 0 ? 1 : field] = count;
        ByteBuffer b = ByteBuffer.allocate(16 + 2 * 784);
        for (int h : header) {
            b.putInt(h);
        }
        byte[] raw = b.array();
        Path path = write(gzip ? IdxFiles.gzip(raw) : raw);
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        long start = System.nanoTime();
        if (count == 2) {
            return;
        }
        assertThrows(IdxFormatException.class, () -> IdxReader.readImages(path));
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertTrue(allocated < 8 << 20, allocated + " bytes allocated for a " + raw.length + "-byte file");
        assertTrue(System.nanoTime() - start < 2_000_000_000L, "took too long");
    }

    @Test
    void wrongMagicNamesTheField() {
        byte[] raw = IdxFiles.images(1, 28, 28, new byte[784]);
        raw[3] = 0x01; // 0x801: a label file where images are expected
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> IdxReader.readImages(write(raw)));
        assertEquals("magic", e.field());
        assertEquals(0, e.offset());
        assertTrue(e.getMessage().endsWith("magic at byte 0: expected 0x00000803 (idx3 unsigned bytes), found 0x00000801"),
                e.getMessage());
    }

    @Test
    void countLargerThanTheFileIsCaughtBeforeReading() {
        byte[] raw = IdxFiles.images(2, 28, 28, new byte[2 * 784]);
        ByteBuffer.wrap(raw).putInt(4, 60_000);
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> IdxReader.readImages(write(raw)));
        assertEquals("pixels", e.field());
        assertTrue(e.getMessage().contains("header declares 47040000 bytes of data but the file has 1568"),
                e.getMessage());
    }

    @Test
    void extraBytesAfterTheDataAreAnError() {
        byte[] raw = IdxFiles.images(2, 28, 28, new byte[2 * 784]);
        ByteBuffer.wrap(raw).putInt(4, 1);
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> IdxReader.readImages(write(raw)));
        assertEquals("end of data", e.field());
        assertEquals(16 + 784, e.offset());
    }

    @Test
    void labelOutOfRangeNamesItsIndexAndOffset() {
        byte[] values = {1, 2, 3, 12, 4};
        IdxFormatException e = assertThrows(IdxFormatException.class,
                () -> IdxReader.readLabels(write(IdxFiles.labels(values)), 10));
        assertEquals("label 3", e.field());
        assertEquals(11, e.offset());
    }
}
