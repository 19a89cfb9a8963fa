package org.nnlab.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.management.ThreadMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nnlab.io.ModelFormatException;
import org.nnlab.layer.Parameter;
import org.nnlab.layer.Layer;
import org.nnlab.layer.Pass;
import org.nnlab.tensor.SeededRandom;
import org.nnlab.tensor.Tensor;

class ModelFileTest {
    @TempDir
    Path dir;

    /** One net per layer type, plus the lab net. */
    static List<NetBuilder> everyLayerType() {
        return List.of(
                Net.builder(9, 7, 2).conv(3, 4, 2, 1).softmax(3).seed(11),
                Net.builder(9, 7, 2).maxPool(2).softmax(3).seed(12),
                Net.builder(5, 5, 1).relu().softmax(4).seed(13),
                Net.builder(5, 5, 1).tanh().softmax(4).seed(14),
                Net.builder(5, 5, 1).sigmoid().softmax(4).seed(15),
                Net.builder(5, 5, 3).dropout(0.25).dense(6).seed(16),
                Net.builder(1, 1, 30).dense(7).seed(17),
                Net.builder(24, 24, 1).conv(5, 8).relu().maxPool(2).conv(5, 16).relu().maxPool(3).softmax(10).seed(18));
    }

    static Tensor inputs(Net net, int batch, long seed) {
        SeededRandom r = new SeededRandom(seed);
        float[] x = new float[batch * net.inputShape().size()];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }
        return new Tensor(net.inputShape(), batch, x);
    }

    /** Weights that are not anyone's initialisation, so a loader cannot pass by re-initialising. */
    static void scribble(Net net, long seed) {
        SeededRandom r = new SeededRandom(seed);
        for (Parameter p : net.parameters()) {
            for (int i = 0; i < p.size(); i++) {
                p.value()[i] = (float) (r.nextGaussian() * 0.3);
            }
        }
    }

    @Test
    void everyLayerTypeRoundTripsWithBitwiseSamePredictions() throws IOException {
        int n = 0;
        for (NetBuilder builder : everyLayerType()) {
            Net net = builder.build();
            scribble(net, n);
            Path file = dir.resolve("net" + n++ + ".nnlab");
            net.save(file);
            Net loaded = Net.load(file);
            assertEquals(net.summary(), loaded.summary());
            assertEquals(net.seed(), loaded.seed());
            for (int i = 0; i < net.parameters().size(); i++) {
                assertArrayEquals(net.parameters().get(i).value(), loaded.parameters().get(i).value());
            }
            Tensor x = inputs(net, 5, n);
            assertArrayEquals(net.predictProbabilities(x).data(), loaded.predictProbabilities(x).data(),
                    builder.build().summary());
            float[] training = net.forward(x.data(), 5, true).clone(); // dropout streams continue alike
            assertArrayEquals(training, loaded.forward(x.data(), 5, true));
        }
    }

    @Test
    void metadataIsKept() throws IOException {
        Net net = everyLayerType().get(7).build();
        Path file = dir.resolve("m.nnlab");
        ModelFile.save(net, file, Map.of("classes", "0,1,2,3,4,5,6,7,8,9", "dataset", "mnist ü"));
        ModelFile model = ModelFile.load(file);
        assertEquals("mnist ü", model.metadata().get("dataset"));
        assertEquals(ModelFile.Kind.MODEL, model.kind());
        assertTrue(model.writtenBy().startsWith("nnlab "), model.writtenBy());
    }

    @Test
    void customLayersCannotBeSavedAndSayWhy() throws IOException {
        Net net = Net.builder(2, 2, 1).layer("Twice", shape -> new Layer(shape, shape) {
            @Override
            public void forward(Pass pass, float[] in, float[] out) {
                for (int i = 0; i < pass.batch() * shape.size(); i++) {
                    out[i] = 2 * in[i];
                }
            }

            @Override
            public void backward(Pass pass, float[] in, float[] out, float[] outGrad, float[] inGrad) {
            }

            @Override
            public String type() {
                return "Twice";
            }
        }).dense(2).build();
        Path file = dir.resolve("x.nnlab");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> net.save(file));
        assertTrue(e.getMessage().startsWith("layer 1 (Twice) is not a built-in layer type"), e.getMessage());
        assertFalse(Files.exists(file), "no partial file");
        try (var stray = Files.list(dir)) {
            assertEquals(0, stray.count(), "no temp file left behind");
        }
    }

    // The golden file: written once by GoldenModel.main with format version 1; every later version must
    // still read it. Weights follow a formula, so this test does not depend on initialisation code.
    @Test
    void goldenVersion1FileStillLoads() throws IOException {
        Path golden = Path.of("src/test/resources/model/golden-v1.nnlab");
        assertTrue(Files.exists(golden), "missing " + golden.toAbsolutePath());
        ModelFile model = ModelFile.load(golden);
        Net expected = GoldenModel.net();
        assertEquals(expected.summary(), model.net().summary());
        assertEquals("golden v1", model.metadata().get("name"));
        for (int i = 0; i < expected.parameters().size(); i++) {
            assertArrayEquals(expected.parameters().get(i).value(), model.net().parameters().get(i).value());
        }
        Tensor x = inputs(expected, 3, 99);
        assertArrayEquals(expected.predictProbabilities(x).data(), model.net().predictProbabilities(x).data());
    }

    @Test
    void newerVersionSaysWhoWroteIt() throws IOException {
        byte[] b = Files.readAllBytes(Path.of("src/test/resources/model/golden-v1.nnlab"));
        b[8] = 2;
        Path file = dir.resolve("v2.nnlab");
        Files.write(file, b);
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> Net.load(file));
        assertTrue(e.getMessage().contains("file format 2 written by nnlab ") && e.getMessage().contains(
                "this is nnlab"), e.getMessage());
        assertEquals("format version", e.field());
    }

    @Test
    void otherFilesAreRejectedByTheirMagic() throws IOException {
        Path file = dir.resolve("not.nnlab");
        Files.writeString(file, "{\"layers\":[]} and more text here");
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> Net.load(file));
        assertEquals("magic", e.field());
        Files.write(file, new byte[3]);
        assertEquals("magic", assertThrows(ModelFormatException.class, () -> Net.load(file)).field());
    }

    // ---- hostile files: truncations, bit flips, forged header fields ----

    private static byte[] valid;

    private static synchronized byte[] valid() throws IOException {
        if (valid == null) {
            Path f = Files.createTempFile("valid", ".nnlab");
            Net net = everyLayerType().get(7).build();
            ModelFile.save(net, f, Map.of("k", "v"));
            valid = Files.readAllBytes(f);
            Files.delete(f);
        }
        return valid;
    }

    private static Path fuzzDir;

    private static synchronized Path fuzzDir() throws IOException {
        if (fuzzDir == null) { // jqwik properties get no @TempDir
            fuzzDir = Files.createTempDirectory("nnlab-fuzz");
            fuzzDir.toFile().deleteOnExit();
        }
        return fuzzDir;
    }

    private void onlyTypedErrors(byte[] bytes) throws IOException {
        Path file = Files.createTempFile(fuzzDir(), "fuzz", ".nnlab");
        Files.write(file, bytes);
        ThreadMXBean mx = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = mx.getCurrentThreadAllocatedBytes();
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> Net.load(file));
        long allocated = mx.getCurrentThreadAllocatedBytes() - before;
        assertTrue(allocated < 40L * bytes.length + (4 << 20), allocated + " bytes allocated for a "
                + bytes.length + "-byte file: " + e.getMessage());
        assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
        Files.delete(file);
    }

    @Property(tries = 200)
    void truncatedFilesGiveTypedErrors(@ForAll("fraction") double keep) throws IOException {
        byte[] b = valid();
        onlyTypedErrors(java.util.Arrays.copyOf(b, (int) (keep * (b.length - 1))));
    }

    @Property(tries = 300)
    void bitFlipsGiveTypedErrors(@ForAll("fraction") double where, @ForAll("bit") int bit) throws IOException {
        byte[] b = valid().clone();
        int at = (int) (where * (b.length - 1));
        b[at] ^= (byte) (1 << bit);
        onlyTypedErrors(b);
    }

    /** Forged fields with a recomputed checksum: only the validation stands between them and the heap. */
    @Property(tries = 300)
    void forgedHeaderFieldsGiveTypedErrors(@ForAll("headerField") int offset, @ForAll("hostileInt") int value)
            throws IOException {
        byte[] b = valid().clone();
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(offset, value);
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(b, 0, b.length - 4);
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(b.length - 4, (int) crc.getValue());
        if (java.util.Arrays.equals(b, valid())) {
            return; // the forged value was the real one
        }
        Path file = Files.createTempFile(fuzzDir(), "forged", ".nnlab");
        Files.write(file, b);
        try {
            Net net = Net.load(file); // a forged but consistent value (e.g. a seed) may load; then it must work
            net.predictProbabilities(inputs(net, 1, 1));
        } catch (ModelFormatException e) {
            assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
        } finally {
            Files.delete(file);
        }
    }

    @Provide
    Arbitrary<Double> fraction() {
        return Arbitraries.doubles().between(0, 1);
    }

    @Provide
    Arbitrary<Integer> bit() {
        return Arbitraries.integers().between(0, 7);
    }

    /** Offsets of 4-byte fields in the header and layer settings of the lab net's file. */
    @Provide
    Arbitrary<Integer> headerField() {
        return Arbitraries.integers().between(8, 120);
    }

    @Provide
    Arbitrary<Integer> hostileInt() {
        return Arbitraries.oneOf(Arbitraries.of(0, -1, 1, 2, 3, 7, 255, 65535, 65536, Integer.MAX_VALUE,
                Integer.MIN_VALUE, 1 << 20, 1 << 30), Arbitraries.integers());
    }

    /** Writes src/test/resources/model/golden-v1.nnlab; run once per format version, never by tests. */
    static final class GoldenModel {
        static Net net() {
            Net net = Net.builder(8, 6, 2).conv(3, 3, 1, 1).relu().maxPool(2).tanh().dropout(0.2).dense(5)
                    .sigmoid().softmax(4).seed(2024).build();
            int k = 0;
            for (Parameter p : net.parameters()) {
                for (int i = 0; i < p.size(); i++) {
                    p.value()[i] = (float) Math.sin(0.37 * k++) * 0.5f;
                }
            }
            return net;
        }

        public static void main(String[] args) throws IOException {
            ModelFile.save(net(), Path.of(args[0]), Map.of("name", "golden v1"));
        }
    }

}
