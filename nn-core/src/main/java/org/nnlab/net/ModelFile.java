package org.nnlab.net;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nnlab.io.AtomicFiles;
import org.nnlab.io.BinaryReader;
import org.nnlab.io.BinaryWriter;
import org.nnlab.io.ModelFormatException;
import org.nnlab.layer.Conv2d;
import org.nnlab.layer.Dense;
import org.nnlab.layer.Dropout;
import org.nnlab.layer.Layer;
import org.nnlab.layer.MaxPool2d;
import org.nnlab.layer.Parameter;
import org.nnlab.layer.Relu;
import org.nnlab.layer.Sigmoid;
import org.nnlab.layer.Softmax;
import org.nnlab.layer.Tanh;
import org.nnlab.tensor.SeededRandom;
import org.nnlab.tensor.Shape;

/**
 * nnlab's model file (format version {@value #FORMAT_VERSION}, specified in docs/model-format.md): the
 * architecture, string metadata and every parameter as little-endian float32, closed by a CRC-32C.
 * A checkpoint is the same file with a training section before the checksum (see
 * {@code org.nnlab.train.Checkpoint}); {@link Net#load} reads the net from either.
 *
 * <p>Reading trusts nothing: the magic, version, layer types (an allowlist), every setting against its
 * input shape, and each size against the bytes left in the file are checked before anything is
 * allocated for them, and the checksum before a net is returned. Every failure is a
 * {@link ModelFormatException} naming the field and offset.
 */
public final class ModelFile {
    /** The version this library writes; it reads this one and older. */
    public static final int FORMAT_VERSION = 1;
    /** What a file holds. */
    public enum Kind {
        /** A trained net and its metadata. */
        MODEL,
        /** A net plus everything needed to resume training bitwise (see {@code org.nnlab.train.Checkpoint}). */
        CHECKPOINT
    }

    private static final byte[] MAGIC = {(byte) 0x89, 'N', 'N', 'L', 'A', 'B', '\r', '\n'};
    private static final int MAX_LAYERS = 4096, MAX_METADATA = 1024, MAX_SIDE = 1 << 16;
    private static final String[] TYPES = {"", "Conv2d", "MaxPool2d", "Relu", "Tanh", "Sigmoid", "Dropout",
            "Dense", "Softmax"};
    static final String LIBRARY_VERSION = libraryVersion();

    private final Net net;
    private final Map<String, String> metadata;
    private final Kind kind;
    private final String writtenBy;

    private ModelFile(Net net, Map<String, String> metadata, Kind kind, String writtenBy) {
        this.net = net;
        this.metadata = metadata;
        this.kind = kind;
        this.writtenBy = writtenBy;
    }

    /** @return the net, ready to predict */
    public Net net() {
        return net;
    }

    /** @return the string pairs saved with the net (e.g. class names, the dataset), in file order */
    public Map<String, String> metadata() {
        return metadata;
    }

    /** @return whether the file is a model or a checkpoint */
    public Kind kind() {
        return kind;
    }

    /** @return the library that wrote the file, e.g. "nnlab 0.1.0" */
    public String writtenBy() {
        return writtenBy;
    }

    /**
     * Saves {@code net} and {@code metadata} to {@code file}, atomically (see {@link AtomicFiles}).
     *
     * @param net the net; built-in layers only
     * @param file the file to create or replace
     * @param metadata string pairs to keep with the net, e.g. class names
     * @throws IllegalArgumentException if a layer is not a built-in type
     * @throws IOException if the file cannot be written
     */
    public static void save(Net net, Path file, Map<String, String> metadata) throws IOException {
        AtomicFiles.write(file, out -> {
            BinaryWriter w = new BinaryWriter(out);
            writeNet(w, net, Kind.MODEL, metadata);
            w.finish();
        });
    }

    /**
     * Reads a model or a checkpoint's net; see the class comment for what is checked.
     *
     * @param file a file written by {@link #save} or {@code Checkpoint.save}
     * @return the net, its metadata, kind and writer
     * @throws ModelFormatException if the file is not a valid model (names the field and offset)
     * @throws IOException if the file cannot be read
     */
    public static ModelFile load(Path file) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
            BinaryReader r = new BinaryReader(in, file.toString(), Files.size(file));
            ModelFile model = readNet(r);
            while (r.remaining() > 0) { // a checkpoint's training section: covered by the checksum only
                r.bytes((int) Math.min(r.remaining(), 1 << 16), "training section");
            }
            r.verifyChecksum();
            return model;
        }
    }

    /**
     * Writes the header, architecture, metadata and parameters; a checkpoint writer adds its section
     * and then calls {@link BinaryWriter#finish()}.
     *
     * @param w where to write
     * @param net the net
     * @param kind model or checkpoint
     * @param metadata string pairs to keep with the net
     * @throws IOException if writing fails
     * @throws IllegalArgumentException if a layer is not one of the built-in types
     */
    public static void writeNet(BinaryWriter w, Net net, Kind kind, Map<String, String> metadata)
            throws IOException {
        if (metadata.size() > MAX_METADATA) {
            throw new IllegalArgumentException("at most " + MAX_METADATA + " metadata entries, got " + metadata.size());
        }
        w.bytes(MAGIC).u16(FORMAT_VERSION).u16(kind.ordinal() + 1).string("nnlab " + LIBRARY_VERSION);
        w.i64(net.seed());
        Shape in = net.inputShape();
        w.i32(in.height()).i32(in.width()).i32(in.channels());
        w.i32(net.layers().size());
        for (int i = 0; i < net.layers().size(); i++) {
            writeLayer(w, net.layers().get(i), i + 1);
        }
        w.i32(metadata.size());
        for (Map.Entry<String, String> e : metadata.entrySet()) {
            w.string(e.getKey()).string(e.getValue());
        }
        w.i64(net.parameterCount());
        for (Parameter p : net.parameters()) {
            w.floats(p.value());
        }
    }

    private static void writeLayer(BinaryWriter w, Layer layer, int index) throws IOException {
        if (layer instanceof Conv2d c) {
            w.u8(1).i32(c.kernel()).i32(c.filters()).i32(c.stride()).i32(c.pad());
        } else if (layer instanceof MaxPool2d p) {
            w.u8(2).i32(p.window()).i32(p.stride());
        } else if (layer instanceof Relu) {
            w.u8(3);
        } else if (layer instanceof Tanh) {
            w.u8(4);
        } else if (layer instanceof Sigmoid) {
            w.u8(5);
        } else if (layer instanceof Dropout d) {
            w.u8(6).f32(d.rate()).i64(d.random().state());
        } else if (layer instanceof Dense d) {
            w.u8(7).i32(d.units());
        } else if (layer instanceof Softmax) {
            w.u8(8);
        } else {
            throw new IllegalArgumentException("layer " + index + " (" + layer.type() + ") is not a built-in layer "
                    + "type; model files hold built-in layers only: " + String.join(", ", List.of(TYPES).subList(1, TYPES.length)));
        }
    }

    /**
     * Reads and validates everything up to the end of the parameters; a checkpoint reader continues with
     * its own section, then {@link BinaryReader#verifyChecksum()}.
     *
     * @param r the file's reader, at offset 0
     * @return the net and what came with it
     * @throws ModelFormatException if the file is not a valid model (names the field and offset)
     * @throws IOException if the file cannot be read
     */
    public static ModelFile readNet(BinaryReader r) throws IOException {
        if (r.remaining() < MAGIC.length) {
            throw r.error("magic", 0, "expected an nnlab model file (starting 89 'NNLAB' 0D 0A), found a file of "
                    + (r.remaining() + 4) + " bytes");
        }
        byte[] magic = r.bytes(MAGIC.length, "magic");
        if (!Arrays.equals(magic, MAGIC)) {
            throw r.error("magic", 0, "expected an nnlab model file (starting 89 'NNLAB' 0D 0A), found "
                    + hex(magic));
        }
        long at = r.offset();
        int version = r.u16("format version");
        String writer;
        if (version > FORMAT_VERSION || version == 0) {
            String by = version == 0 ? "?" : writerOfNewerFile(r);
            throw r.error("format version", at, "file format " + version + " written by " + by
                    + "; this is nnlab " + LIBRARY_VERSION + ", which reads format " + FORMAT_VERSION
                    + " and older: upgrade nnlab");
        }
        at = r.offset();
        int kindCode = r.u16("kind");
        if (kindCode < 1 || kindCode > Kind.values().length) {
            throw r.error("kind", at, "expected 1 (model) or 2 (checkpoint), found " + kindCode);
        }
        writer = r.string("writer", 256);
        long seed = r.i64("net seed");
        at = r.offset();
        int h = r.i32("input height", 1, MAX_SIDE), w = r.i32("input width", 1, MAX_SIDE);
        int c = r.i32("input channels", 1, MAX_SIDE);
        Shape shape;
        try {
            shape = new Shape(h, w, c);
        } catch (IllegalArgumentException e) {
            throw r.error("input shape", at, e.getMessage());
        }
        Shape inputShape = shape;
        int count = r.i32("layer count", 1, MAX_LAYERS);
        List<Layer> layers = new ArrayList<>();
        long[] dropoutStates = new long[count + 1];
        long parameterValues = 0;
        for (int i = 1; i <= count; i++) {
            at = r.offset();
            int code = r.u8("layer " + i + " type");
            if (code < 1 || code >= TYPES.length) {
                throw r.error("layer " + i + " type", at, "expected a built-in layer code 1-" + (TYPES.length - 1)
                        + " (" + String.join(", ", List.of(TYPES).subList(1, TYPES.length)) + "), found " + code);
            }
            String field = "layer " + i + " (" + TYPES[code] + ")";
            if (!layers.isEmpty() && layers.get(layers.size() - 1) instanceof Softmax) {
                throw r.error(field, at, "nothing may follow a Softmax layer");
            }
            Layer layer;
            try {
                switch (code) {
                    case 1 -> {
                        int k = r.i32(field + " kernel", 1, MAX_SIDE), f = r.i32(field + " filters", 1, MAX_SIDE);
                        int s = r.i32(field + " stride", 1, MAX_SIDE), p = r.i32(field + " pad", 0, MAX_SIDE);
                        long values = (long) f * shape.channels() * k * k + f;
                        parameterValues = reserve(r, parameterValues, values, field);
                        layer = new Conv2d(shape, k, f, s, p);
                    }
                    case 2 -> layer = new MaxPool2d(shape, r.i32(field + " window", 1, MAX_SIDE),
                            r.i32(field + " stride", 1, MAX_SIDE));
                    case 3 -> layer = new Relu(shape);
                    case 4 -> layer = new Tanh(shape);
                    case 5 -> layer = new Sigmoid(shape);
                    case 6 -> {
                        float rate = r.f32(field + " rate");
                        dropoutStates[i] = r.i64(field + " random state");
                        layer = new Dropout(shape, rate, SeededRandom.forPurpose(seed, "dropout-" + i));
                    }
                    case 7 -> {
                        int units = r.i32(field + " units", 1, Integer.MAX_VALUE);
                        parameterValues = reserve(r, parameterValues, ((long) shape.size() + 1) * units, field);
                        layer = new Dense(shape, units);
                    }
                    default -> layer = new Softmax(shape);
                }
            } catch (IllegalArgumentException e) {
                throw r.error(field, at, e.getMessage() + " (input " + shape + ")");
            }
            if (layer instanceof Dropout d) {
                d.random().setState(dropoutStates[i]);
            }
            layers.add(layer);
            shape = layer.outputShape();
        }
        int entries = r.i32("metadata count", 0, MAX_METADATA);
        r.requireRemaining(entries, 4, "metadata");
        Map<String, String> metadata = new LinkedHashMap<>();
        for (int i = 0; i < entries; i++) {
            metadata.put(r.string("metadata key " + i, 0xFFFF), r.string("metadata value " + i, 0xFFFF));
        }
        at = r.offset();
        long stored = r.i64("parameter count");
        if (stored != parameterValues) {
            throw r.error("parameter count", at, "the architecture has " + parameterValues + " parameter values, "
                    + "the file says " + stored);
        }
        Net net = new Net(inputShape, layers, seed);
        for (int i = 0; i < net.layers().size(); i++) {
            for (Parameter p : net.layers().get(i).parameters()) {
                r.floats(p.value(), "layer " + (i + 1) + " (" + net.layers().get(i).type() + ") " + p.name());
            }
        }
        return new ModelFile(net, Collections.unmodifiableMap(metadata), Kind.values()[kindCode - 1], writer);
    }

    private static long reserve(BinaryReader r, long sofar, long more, String field) throws ModelFormatException {
        if (more > Integer.MAX_VALUE) {
            throw r.error(field, r.offset(), more + " parameter values is more than one array can hold");
        }
        r.requireRemaining(sofar + more, 4, "parameters up to " + field);
        return sofar + more;
    }

    /** The kind and writer fields keep their place in every format version. */
    private static String writerOfNewerFile(BinaryReader r) {
        try {
            r.u16("kind");
            return r.string("writer", 256);
        } catch (IOException e) {
            return "?";
        }
    }

    private static String hex(byte[] b) {
        StringBuilder sb = new StringBuilder();
        for (byte x : b) {
            sb.append(String.format("%02x ", x));
        }
        return sb.toString().trim();
    }

    private static String libraryVersion() {
        try (InputStream in = ModelFile.class.getResourceAsStream("version.txt")) {
            String v = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
            return v.isEmpty() || v.startsWith("$") ? "(development)" : v;
        } catch (IOException e) {
            return "(development)";
        }
    }
}
