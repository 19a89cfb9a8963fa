package org.nnlab.net;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.nnlab.io.AtomicFiles;
import org.nnlab.io.Json;
import org.nnlab.io.ModelFormatException;
import org.nnlab.layer.Conv2d;
import org.nnlab.layer.Dense;
import org.nnlab.layer.Dropout;
import org.nnlab.layer.Layer;
import org.nnlab.layer.MaxPool2d;
import org.nnlab.layer.Relu;
import org.nnlab.layer.Sigmoid;
import org.nnlab.layer.Softmax;
import org.nnlab.layer.Tanh;
import org.nnlab.tensor.SeededRandom;
import org.nnlab.tensor.Shape;

/**
 * Reads and writes ConvNetJS's JSON ({@code net.toJSON()} / {@code net.fromJSON(json)}), so a net
 * trained in the browser lab runs in Java and back. Layer types: input, conv, pool, relu, tanh,
 * sigmoid, dropout, fc, softmax; others (lrn, maxout, svm, regression, quadtransform) are rejected.
 *
 * <p>ConvNetJS stores volumes x-fastest-after-depth ({@code ((width * y) + x) * depth + d}); nnlab is
 * channel-major, so weights are permuted on the way in and out and predictions agree (to float
 * rounding: ConvNetJS computes in float64). Two differences are not converted: ConvNetJS's dropout
 * multiplies activations by {@code drop_prob} at test time where nnlab's inverted dropout leaves them
 * unchanged, and per-layer decay multipliers are not imported (nnlab decays weights, never biases).
 */
public final class ConvNetJs {
    private static final long MAX_FILE_BYTES = 256L << 20;

    private ConvNetJs() {
    }

    /**
     * Reads a ConvNetJS JSON file (what {@code JSON.stringify(net.toJSON())} writes).
     *
     * @param file the JSON file, at most 256 MB
     * @return the net, with ConvNetJS's weights in nnlab's layout
     * @throws ModelFormatException if the JSON is invalid or describes an unsupported or inconsistent net
     * @throws IOException if the file cannot be read
     */
    public static Net read(Path file) throws IOException {
        long size = Files.size(file);
        if (size > MAX_FILE_BYTES) {
            throw new ModelFormatException(file.toString(), "file", 0, "expected a ConvNetJS JSON file of at most "
                    + (MAX_FILE_BYTES >> 20) + " MB, found " + size + " bytes");
        }
        return fromJson(Files.readString(file, StandardCharsets.UTF_8), file.toString());
    }

    /**
     * Builds a net from ConvNetJS JSON text.
     *
     * @param json the text
     * @param source names the text in errors, e.g. a file name
     * @return the net
     * @throws ModelFormatException if the JSON is invalid or describes an unsupported or inconsistent net
     */
    public static Net fromJson(String json, String source) throws ModelFormatException {
        Reader r = new Reader(source);
        Map<String, Object> root = r.object(Json.parse(json, source), "document");
        List<Object> defs = r.list(root.get("layers"), "layers");
        if (defs.isEmpty() || !"input".equals(r.object(defs.get(0), "layers[0]").get("layer_type"))) {
            throw r.error("layers[0]", "expected an input layer first");
        }
        Map<String, Object> input = r.object(defs.get(0), "layers[0]");
        Shape shape = new Shape(r.integer(input, "out_sy", "layers[0]", 1 << 16),
                r.integer(input, "out_sx", "layers[0]", 1 << 16), r.integer(input, "out_depth", "layers[0]", 1 << 16));
        Shape inputShape = shape;
        List<Layer> layers = new ArrayList<>();
        for (int i = 1; i < defs.size(); i++) {
            String at = "layers[" + i + "]";
            Map<String, Object> def = r.object(defs.get(i), at);
            Object type = def.get("layer_type");
            at += " (" + type + ")";
            if (!layers.isEmpty() && layers.get(layers.size() - 1) instanceof Softmax) {
                throw r.error(at, "nothing may follow a softmax layer");
            }
            Layer layer;
            try {
                layer = switch (String.valueOf(type)) {
                    case "conv" -> conv(r, def, shape, at);
                    case "pool" -> {
                        int sx = r.integer(def, "sx", at, 1 << 16), stride = r.integer(def, "stride", at, 1 << 16);
                        r.same(def, "sy", sx, at);
                        if (def.containsKey("pad") && r.integer(def, "pad", at, 1 << 16) != 0) {
                            throw r.error(at, "padded pooling is not supported (pad must be 0)");
                        }
                        yield new MaxPool2d(shape, sx, stride);
                    }
                    case "relu" -> new Relu(shape);
                    case "tanh" -> new Tanh(shape);
                    case "sigmoid" -> new Sigmoid(shape);
                    case "dropout" -> new Dropout(shape, (float) r.number(def, "drop_prob", at),
                            SeededRandom.forPurpose(1, "dropout-" + (layers.size() + 1)));
                    case "fc" -> fc(r, def, shape, at);
                    case "softmax" -> new Softmax(shape);
                    default -> throw r.error(at + " layer_type", "expected one of conv, pool, relu, tanh, sigmoid, "
                            + "dropout, fc, softmax; found " + type);
                };
            } catch (IllegalArgumentException e) {
                throw r.error(at, e.getMessage() + " (input " + shape + ")");
            }
            if (def.containsKey("out_depth")) {
                Shape out = layer.outputShape();
                r.same(def, "out_depth", out.channels(), at);
                r.same(def, "out_sx", out.width(), at);
                r.same(def, "out_sy", out.height(), at);
            }
            layers.add(layer);
            shape = layer.outputShape();
        }
        if (layers.isEmpty()) {
            throw r.error("layers", "expected at least one layer after the input");
        }
        Net net = new Net(inputShape, layers, 1);
        r.fill(net, defs);
        return net;
    }

    private static Layer conv(Reader r, Map<String, Object> def, Shape in, String at) throws ModelFormatException {
        int k = r.integer(def, "sx", at, 1 << 16);
        r.same(def, "sy", k, at);
        int filters = r.integer(def, "out_depth", at, 1 << 16);
        int pad = def.containsKey("pad") ? r.integer(def, "pad", at, 1 << 16) : 0;
        r.same(def, "in_depth", in.channels(), at);
        Conv2d conv = new Conv2d(in, k, filters, r.integer(def, "stride", at, 1 << 16), pad);
        r.volumes(def, filters, k, k, in.channels(), at);
        return conv;
    }

    private static Layer fc(Reader r, Map<String, Object> def, Shape in, String at) throws ModelFormatException {
        r.same(def, "num_inputs", in.size(), at);
        int units = r.integer(def, "out_depth", at, Integer.MAX_VALUE);
        r.volumes(def, units, 1, 1, in.size(), at);
        return new Dense(in, units);
    }

    /**
     * Writes {@code net} as ConvNetJS JSON, atomically.
     *
     * @param net the net; every layer must have a ConvNetJS counterpart
     * @param file the file to create or replace
     * @throws IllegalArgumentException if a layer has no ConvNetJS counterpart
     * @throws IOException if the file cannot be written
     */
    public static void write(Net net, Path file) throws IOException {
        String json = toJson(net);
        AtomicFiles.write(file, out -> out.write(json.getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * The net as ConvNetJS JSON, loadable with {@code new convnetjs.Net().fromJSON(JSON.parse(text))}.
     * Values are written as the exact decimal of each float, so the browser computes with nnlab's weights.
     *
     * @param net the net; every layer must have a ConvNetJS counterpart
     * @return the JSON text
     * @throws IllegalArgumentException if a layer has no ConvNetJS counterpart
     */
    public static String toJson(Net net) {
        StringBuilder sb = new StringBuilder("{\"layers\":[");
        Shape in = net.inputShape();
        sb.append("{\"out_depth\":").append(in.channels()).append(",\"out_sx\":").append(in.width())
                .append(",\"out_sy\":").append(in.height()).append(",\"layer_type\":\"input\"}");
        for (Layer layer : net.layers()) {
            Shape s = layer.inputShape(), o = layer.outputShape();
            String head = "{\"out_depth\":" + o.channels() + ",\"out_sx\":" + o.width() + ",\"out_sy\":" + o.height();
            sb.append(',').append(head);
            if (layer instanceof Conv2d c) {
                sb.append(",\"layer_type\":\"conv\",\"sx\":").append(c.kernel()).append(",\"sy\":").append(c.kernel())
                        .append(",\"stride\":").append(c.stride()).append(",\"pad\":").append(c.pad())
                        .append(",\"in_depth\":").append(s.channels())
                        .append(",\"l1_decay_mul\":0,\"l2_decay_mul\":1,\"filters\":[");
                float[] w = c.parameters().get(0).value();
                int k = c.kernel(), ch = s.channels();
                for (int f = 0; f < c.filters(); f++) {
                    volume(sb.append(f > 0 ? "," : ""), k, k, ch, toConvNetJsOrder(w, f * k * k * ch, k, k, ch));
                }
                biases(sb.append("],\"biases\":"), c.parameters().get(1).value()).append('}');
            } else if (layer instanceof MaxPool2d p) {
                sb.append(",\"layer_type\":\"pool\",\"sx\":").append(p.window()).append(",\"sy\":").append(p.window())
                        .append(",\"stride\":").append(p.stride()).append(",\"pad\":0,\"in_depth\":")
                        .append(s.channels()).append('}');
            } else if (layer instanceof Dense d) {
                sb.append(",\"layer_type\":\"fc\",\"num_inputs\":").append(s.size())
                        .append(",\"l1_decay_mul\":0,\"l2_decay_mul\":1,\"filters\":[");
                float[] w = d.parameters().get(0).value();
                int n = s.size(), h = s.height(), wd = s.width(), ch = s.channels();
                for (int u = 0; u < d.units(); u++) {
                    volume(sb.append(u > 0 ? "," : ""), 1, 1, n, toConvNetJsOrder(w, u * n, h, wd, ch));
                }
                biases(sb.append("],\"biases\":"), d.parameters().get(1).value()).append('}');
            } else if (layer instanceof Dropout d) {
                sb.append(",\"layer_type\":\"dropout\",\"drop_prob\":").append((double) d.rate()).append('}');
            } else if (layer instanceof Softmax) {
                sb.append(",\"layer_type\":\"softmax\",\"num_inputs\":").append(s.size()).append('}');
            } else if (layer instanceof Relu || layer instanceof Tanh || layer instanceof Sigmoid) {
                sb.append(",\"layer_type\":\"").append(layer.type().toLowerCase(java.util.Locale.ROOT)).append("\"}");
            } else {
                throw new IllegalArgumentException("layer " + layer.type() + " has no ConvNetJS equivalent");
            }
        }
        return sb.append("]}").toString();
    }

    /** {@code h x w x c} values of nnlab's channel-major block at {@code from}, in ConvNetJS's order. */
    private static double[] toConvNetJsOrder(float[] chw, int from, int h, int w, int c) {
        double[] v = new double[h * w * c];
        for (int cc = 0; cc < c; cc++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    v[(w * y + x) * c + cc] = chw[from + (cc * h + y) * w + x];
                }
            }
        }
        return v;
    }

    /** The inverse of {@link #toConvNetJsOrder}: writes into {@code chw} at {@code from}. */
    private static void fromConvNetJsOrder(double[] v, float[] chw, int from, int h, int w, int c) {
        for (int cc = 0; cc < c; cc++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    chw[from + (cc * h + y) * w + x] = (float) v[(w * y + x) * c + cc];
                }
            }
        }
    }

    private static StringBuilder biases(StringBuilder sb, float[] b) {
        double[] v = new double[b.length];
        for (int i = 0; i < b.length; i++) {
            v[i] = b[i];
        }
        return volume(sb, 1, 1, b.length, v);
    }

    private static StringBuilder volume(StringBuilder sb, int sx, int sy, int depth, double[] w) {
        sb.append("{\"sx\":").append(sx).append(",\"sy\":").append(sy).append(",\"depth\":").append(depth)
                .append(",\"w\":[");
        for (int i = 0; i < w.length; i++) {
            sb.append(i > 0 ? "," : "").append(w[i] == (long) w[i] ? Long.toString((long) w[i]) : Double.toString(w[i]));
        }
        return sb.append("]}");
    }

    /** Typed access to the parsed JSON, with the path of each value in errors. */
    private static final class Reader {
        private final String source;

        Reader(String source) {
            this.source = source;
        }

        ModelFormatException error(String field, String problem) {
            return new ModelFormatException(source, field, -1, problem);
        }

        @SuppressWarnings("unchecked")
        Map<String, Object> object(Object v, String at) throws ModelFormatException {
            if (!(v instanceof Map)) {
                throw error(at, "expected an object, found " + describe(v));
            }
            return (Map<String, Object>) v;
        }

        @SuppressWarnings("unchecked")
        List<Object> list(Object v, String at) throws ModelFormatException {
            if (!(v instanceof List)) {
                throw error(at, "expected an array, found " + describe(v));
            }
            return (List<Object>) v;
        }

        double number(Map<String, Object> def, String key, String at) throws ModelFormatException {
            Object v = def.get(key);
            if (!(v instanceof Double d) || !Double.isFinite(d)) {
                throw error(at + " " + key, "expected a number, found " + describe(v));
            }
            return d;
        }

        int integer(Map<String, Object> def, String key, String at, int max) throws ModelFormatException {
            double d = number(def, key, at);
            if (d != Math.rint(d) || d < 0 || d > max) {
                throw error(at + " " + key, "expected a whole number in [0, " + max + "], found " + d);
            }
            return (int) d;
        }

        void same(Map<String, Object> def, String key, int expected, String at) throws ModelFormatException {
            if (def.containsKey(key) && integer(def, key, at, Integer.MAX_VALUE) != expected) {
                throw error(at + " " + key, "expected " + expected + " (from the layers before), found "
                        + def.get(key));
            }
        }

        /** Checks {@code count} volumes in "filters" and {@code count} biases, before anything is built. */
        void volumes(Map<String, Object> def, int count, int sx, int sy, int depth, String at)
                throws ModelFormatException {
            List<Object> filters = list(def.get("filters"), at + " filters");
            if (filters.size() != count) {
                throw error(at + " filters", "expected " + count + " filters, found " + filters.size());
            }
            for (int f = 0; f < count; f++) {
                String where = at + " filters[" + f + "]";
                Map<String, Object> vol = object(filters.get(f), where);
                same(vol, "sx", sx, where);
                same(vol, "sy", sy, where);
                same(vol, "depth", depth, where);
                values(vol, sx * sy * depth, where);
            }
            Map<String, Object> biases = object(def.get("biases"), at + " biases");
            values(biases, count, at + " biases");
        }

        /** The w of a volume: an array, or an object with keys "0".."n-1" (JSON.stringify of a typed array). */
        double[] values(Map<String, Object> vol, int n, String at) throws ModelFormatException {
            Object w = vol.get("w");
            double[] result = new double[n];
            if (w instanceof List<?> l) {
                if (l.size() != n) {
                    throw error(at + " w", "expected " + n + " values, found " + l.size());
                }
                for (int i = 0; i < n; i++) {
                    result[i] = finite(l.get(i), at + " w[" + i + "]");
                }
            } else if (w instanceof Map<?, ?> m) {
                if (m.size() != n) {
                    throw error(at + " w", "expected " + n + " values, found " + m.size());
                }
                for (int i = 0; i < n; i++) {
                    result[i] = finite(m.get(Integer.toString(i)), at + " w[" + i + "]");
                }
            } else {
                throw error(at + " w", "expected an array of " + n + " numbers, found " + describe(w));
            }
            return result;
        }

        private double finite(Object v, String at) throws ModelFormatException {
            if (!(v instanceof Double d) || !Double.isFinite(d) || Math.abs(d) > Float.MAX_VALUE) {
                throw error(at, "expected a finite number, found " + describe(v));
            }
            return d;
        }

        /** Copies the weights of every conv and fc layer into the net, permuting to channel-major. */
        void fill(Net net, List<Object> defs) throws ModelFormatException {
            for (int i = 0; i < net.layers().size(); i++) {
                Layer layer = net.layers().get(i);
                String at = "layers[" + (i + 1) + "]";
                Map<String, Object> def = object(defs.get(i + 1), at);
                if (!(layer instanceof Conv2d) && !(layer instanceof Dense)) {
                    continue;
                }
                Shape s = layer.inputShape();
                int h = layer instanceof Conv2d c ? c.kernel() : s.height();
                int wd = layer instanceof Conv2d c ? c.kernel() : s.width();
                int ch = s.channels(), per = h * wd * ch;
                float[] w = layer.parameters().get(0).value(), b = layer.parameters().get(1).value();
                List<Object> filters = list(def.get("filters"), at);
                for (int f = 0; f < filters.size(); f++) {
                    double[] v = values(object(filters.get(f), at), per, at + " filters[" + f + "]");
                    fromConvNetJsOrder(v, w, f * per, h, wd, ch);
                }
                double[] bv = values(object(def.get("biases"), at), b.length, at + " biases");
                for (int j = 0; j < b.length; j++) {
                    b[j] = (float) bv[j];
                }
            }
        }

        private static String describe(Object v) {
            if (v == null) {
                return "nothing (null or missing)";
            }
            String s = String.valueOf(v);
            return (v instanceof String ? "\"" + s + "\"" : s.length() > 40 ? s.substring(0, 40) + "..." : s);
        }
    }
}
