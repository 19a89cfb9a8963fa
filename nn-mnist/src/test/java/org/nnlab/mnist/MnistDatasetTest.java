package org.nnlab.mnist;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nnlab.tensor.SeededRandom;
import org.nnlab.tensor.Shape;

class MnistDatasetTest {
    private static final List<String> DIGITS = Mnist.FILES.classNames();

    static MnistDataset fake(int count) {
        return new MnistDataset(IdxFiles.mnistPixels(count), IdxFiles.mnistLabels(count), DIGITS);
    }

    @Test
    void centreCropInEvaluationRandomCropsInTraining() {
        MnistDataset data = fake(3).withCrop(24);
        assertEquals(new Shape(24, 24, 1), data.shape());
        float[] centre = new float[576];
        data.copyExample(1, centre, 0, null);
        // example 1, row 2, column 2 of the 28x28 image: (1*31 + 2*28 + 2) mod 256 = 89
        assertEquals(89 / 255f, centre[0]);
        assertEquals(((31 + 25 * 28 + 25) % 256) / 255f, centre[575]);

        Set<String> offsets = new HashSet<>();
        SeededRandom random = new SeededRandom(1);
        float[] crop = new float[576];
        for (int t = 0; t < 400; t++) {
            data.copyExample(0, crop, 0, random);
            int first = Math.round(crop[0] * 255); // (y*28 + x) mod 256 at the window's corner
            offsets.add(first % 28 + "," + first / 28);
        }
        assertEquals(25, offsets.size(), "all 5x5 window positions occur: " + offsets);
        for (String o : offsets) {
            String[] xy = o.split(",");
            assertTrue(Integer.parseInt(xy[0]) <= 4 && Integer.parseInt(xy[1]) <= 4, o);
        }
    }

    @Test
    void sameSeedSameCrops() {
        MnistDataset data = fake(2).withCrop(24);
        float[] a = new float[576 * 10], b = new float[576 * 10];
        SeededRandom ra = new SeededRandom(9), rb = new SeededRandom(9);
        for (int i = 0; i < 10; i++) {
            data.copyExample(i % 2, a, i * 576, ra);
            data.copyExample(i % 2, b, i * 576, rb);
        }
        assertArrayEquals(a, b);
    }

    @Test
    void scalingsAndSubsets() {
        MnistDataset data = fake(5);
        float[] x = new float[784];
        data.withScaling(MnistDataset.Scaling.CENTERED).copyExample(0, x, 0, new SeededRandom(1));
        assertEquals(0f / 255 - 0.5f, x[0]);
        assertEquals(255f / 255 - 0.5f, x[255]);
        MnistDataset tail = data.subset(3, 2);
        assertEquals(2, tail.size());
        assertEquals(3, tail.label(0));
        tail.copyExample(1, x, 0, null);
        assertEquals(((4 * 31) % 256) / 255f, x[0]);
        assertThrows(IndexOutOfBoundsException.class, () -> tail.label(2));
        assertThrows(IndexOutOfBoundsException.class, () -> data.subset(4, 2));
    }

    @Test
    void mismatchedArraysAndBadLabelsAreRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new MnistDataset(new byte[784], new byte[2], DIGITS));
        assertEquals("2 labels need 1568 pixel bytes, got 784", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new MnistDataset(new byte[784], new byte[] {10}, DIGITS));
        assertThrows(IllegalArgumentException.class, () -> fake(1).withCrop(29));
    }

    @Test
    void multiCropOffsetsSurroundTheCentre() {
        assertArrayEquals(new int[][] {{1, 1}, {3, 1}, {1, 3}, {3, 3}}, MultiCrop.offsets(fake(1).withCrop(24)));
        assertArrayEquals(new int[][] {{0, 0}}, MultiCrop.offsets(fake(1)));
    }

    /** Writes a fake dataset's four files into {@code dir} and returns a DatasetFiles with their checksums. */
    static DatasetFiles writeFake(Path dir, int train, int test, boolean gzip) throws IOException {
        byte[][] contents = {
            IdxFiles.images(train, 28, 28, IdxFiles.mnistPixels(train)), IdxFiles.labels(IdxFiles.mnistLabels(train)),
            IdxFiles.images(test, 28, 28, IdxFiles.mnistPixels(test)), IdxFiles.labels(IdxFiles.mnistLabels(test))};
        List<DatasetFiles.IdxFile> files = new java.util.ArrayList<>();
        for (int i = 0; i < 4; i++) {
            String name = Mnist.FILES.files().get(i).name();
            files.add(new DatasetFiles.IdxFile(name, IdxFiles.sha256(contents[i])));
            if (dir != null) {
                Files.write(dir.resolve(gzip ? name + ".gz" : name), gzip ? IdxFiles.gzip(contents[i]) : contents[i]);
            }
        }
        return new DatasetFiles("Fake", DIGITS, files, List.of(), null, List.of());
    }

    @Test
    void loadVerifiesChecksumsAndCounts(@TempDir Path dir) throws IOException {
        DatasetFiles files = writeFake(dir, 30, 12, true);
        MnistSplits splits = MnistSplits.load(files, dir);
        assertEquals(30, splits.train().size());
        assertEquals(12, splits.test().size());
        assertEquals(7, splits.test().label(7));

        // the real MNIST checksums reject these files, naming file and field
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> Mnist.load(dir));
        assertTrue(e.getMessage().contains("train-images-idx3-ubyte.gz: SHA-256 of the decompressed file at byte 0: expected ba89"),
                e.getMessage());

        Files.delete(dir.resolve("t10k-labels-idx1-ubyte.gz"));
        NoSuchFileException missing = assertThrows(NoSuchFileException.class, () -> MnistSplits.load(files, dir));
        assertTrue(missing.getMessage().contains("t10k-labels-idx1-ubyte (or t10k-labels-idx1-ubyte.gz) is not in"),
                missing.getMessage());
    }

    @Test
    void imagesAndLabelsMustAgreeInCount(@TempDir Path dir) throws IOException {
        DatasetFiles files = writeFake(dir, 30, 12, false);
        byte[] labels = IdxFiles.labels(IdxFiles.mnistLabels(29));
        Files.write(dir.resolve("train-labels-idx1-ubyte"), labels);
        List<DatasetFiles.IdxFile> fixed = new java.util.ArrayList<>(files.files());
        fixed.set(1, new DatasetFiles.IdxFile("train-labels-idx1-ubyte", IdxFiles.sha256(labels)));
        DatasetFiles edited = new DatasetFiles("Fake", DIGITS, fixed, List.of(), null, List.of());
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> MnistSplits.load(edited, dir));
        assertTrue(e.getMessage().contains("29 labels for the 30 images"), e.getMessage());
    }
}
