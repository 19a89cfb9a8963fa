package org.nnlab.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nnlab.io.Json;
import org.nnlab.io.ModelFormatException;
import org.nnlab.layer.Conv2d;
import org.nnlab.layer.Dense;
import org.nnlab.tensor.Tensor;

/**
 * Against a net made and trained by ConvNetJS 0.3.0 itself (src/test/resources/convnetjs/small-net.json,
 * written by make-fixture.js beside it): the same probabilities for the same inputs, and back.
 */
class ConvNetJsTest {
    private static final Path FIXTURE = Path.of("src/test/resources/convnetjs/small-net.json");

    @TempDir
    Path dir;

    @SuppressWarnings("unchecked")
    private static Map<String, Object> fixture() throws IOException {
        return (Map<String, Object>) Json.parse(Files.readString(FIXTURE), FIXTURE.toString());
    }

    /** ConvNetJS's input order ((W*y)+x)*C+c to nnlab's (c*H+y)*W+x. */
    private static Tensor toChw(Net net, List<Object> inputs) {
        int h = net.inputShape().height(), w = net.inputShape().width(), ch = net.inputShape().channels();
        float[] x = new float[inputs.size() * h * w * ch];
        for (int n = 0; n < inputs.size(); n++) {
            List<?> v = (List<?>) inputs.get(n);
            for (int c = 0; c < ch; c++) {
                for (int y = 0; y < h; y++) {
                    for (int xx = 0; xx < w; xx++) {
                        x[n * h * w * ch + (c * h + y) * w + xx] = ((Double) v.get((w * y + xx) * ch + c)).floatValue();
                    }
                }
            }
        }
        return new Tensor(net.inputShape(), inputs.size(), x);
    }

    @SuppressWarnings("unchecked")
    @Test
    void aNetTrainedInConvNetJsPredictsTheSameInNnlab() throws IOException {
        Map<String, Object> fixture = fixture();
        String netJson = Files.readString(FIXTURE);
        netJson = netJson.substring(netJson.indexOf("\"net\":") + 6, netJson.length() - 2);
        Net net = ConvNetJs.fromJson(netJson, "fixture");
        assertEquals(7, net.inputShape().height());
        assertEquals(6, net.inputShape().width());
        assertTrue(net.layers().get(0) instanceof Conv2d);
        Tensor probs = net.predictProbabilities(toChw(net, (List<Object>) fixture.get("inputs")));
        List<Object> outputs = (List<Object>) fixture.get("outputs");
        double spread = 0;
        for (int n = 0; n < outputs.size(); n++) {
            List<Object> expected = (List<Object>) outputs.get(n);
            for (int k = 0; k < expected.size(); k++) {
                double e = (Double) expected.get(k);
                assertEquals(e, probs.data()[n * 3 + k], 2e-6, "example " + n + " class " + k);
                spread += Math.abs(e - 1.0 / 3);
            }
        }
        assertTrue(spread > 0.05, "the fixture's outputs are not all 1/3: it tests something");
    }

    @SuppressWarnings("unchecked")
    @Test
    void exportGivesConvNetJsTheSameNetBack() throws IOException {
        String text = Files.readString(FIXTURE);
        Map<String, Object> original = (Map<String, Object>) fixture().get("net");
        Net net = ConvNetJs.fromJson(text.substring(text.indexOf("\"net\":") + 6, text.length() - 2), "fixture");
        Path file = dir.resolve("exported.json");
        ConvNetJs.write(net, file);
        Map<String, Object> exported = (Map<String, Object>) Json.parse(Files.readString(file), "exported");
        List<Object> a = (List<Object>) original.get("layers"), b = (List<Object>) exported.get("layers");
        assertEquals(a.size(), b.size());
        for (int i = 0; i < a.size(); i++) {
            Map<String, Object> la = (Map<String, Object>) a.get(i), lb = (Map<String, Object>) b.get(i);
            for (String key : List.of("layer_type", "out_sx", "out_sy", "out_depth", "sx", "sy", "stride", "pad",
                    "in_depth", "num_inputs")) {
                if (la.containsKey(key)) {
                    assertEquals(la.get(key), lb.get(key), "layer " + i + " " + key);
                }
            }
            if (la.containsKey("filters")) {
                List<Object> fa = (List<Object>) la.get("filters"), fb = (List<Object>) lb.get("filters");
                for (int f = 0; f < fa.size(); f++) {
                    assertArrayEquals(values(fa.get(f)), values(fb.get(f)), "layer " + i + " filter " + f);
                }
                assertArrayEquals(values(la.get("biases")), values(lb.get("biases")), "layer " + i + " biases");
            }
        }
        Net again = ConvNetJs.read(file);
        Tensor x = ModelFileTest.inputs(net, 3, 1);
        assertArrayEquals(net.predictProbabilities(x).data(), again.predictProbabilities(x).data());
    }

    /** A volume's w, as floats (ConvNetJS wrote float64; nnlab keeps float32). */
    @SuppressWarnings("unchecked")
    private static float[] values(Object volume) {
        Object w = ((Map<String, Object>) volume).get("w");
        List<Object> list = w instanceof Map<?, ?> m ? new java.util.ArrayList<>(((Map<String, Object>) m).values())
                : (List<Object>) w;
        float[] r = new float[list.size()];
        for (int i = 0; i < r.length; i++) {
            r[i] = ((Double) list.get(i)).floatValue();
        }
        return r;
    }

    @Test
    void theLabNetRoundTripsBitwise() throws IOException {
        Net lab = Net.builder(24, 24, 1).conv(5, 8).relu().maxPool(2).conv(5, 16).relu().maxPool(3).softmax(10)
                .build();
        Net back = ConvNetJs.fromJson(ConvNetJs.toJson(lab), "lab");
        assertEquals(lab.summary(), back.summary());
        for (int i = 0; i < lab.parameters().size(); i++) {
            assertArrayEquals(lab.parameters().get(i).value(), back.parameters().get(i).value());
        }
        assertTrue(back.layers().get(6) instanceof Dense);
    }

    @Test
    void badJsonNamesTheProblem() {
        String lab = ConvNetJs.toJson(Net.builder(4, 4, 1).conv(3, 2).relu().maxPool(2).softmax(3).build());
        assertError(lab.replace("\"relu\"", "\"maxout\""), "layers[2] (maxout) layer_type", "expected one of conv");
        assertError(lab.replace("\"in_depth\":1", "\"in_depth\":3"), "layers[1] (conv) in_depth", "expected 1");
        assertError(lab.replaceFirst("\"w\":\\[[-0-9.E]+,", "\"w\":[null,"), "layers[1] (conv) filters[0] w[0]",
                "finite number");
        assertError(lab.replaceFirst("\"w\":\\[[-0-9.E]+,", "\"w\":["), "layers[1] (conv) filters[0] w",
                "expected 9 values, found 8");
        assertError(lab.replace("{\"out_depth\":1,\"out_sx\":4,\"out_sy\":4,\"layer_type\":\"input\"},", ""),
                "layers[0]", "expected an input layer first");
        assertError("[".repeat(10_000), "JSON", "nesting deeper than 64");
        assertError(lab.substring(0, lab.length() / 2), "JSON", "");
        assertError("{\"layers\":[{\"layer_type\":\"input\",\"out_sx\":1e9,\"out_sy\":1,\"out_depth\":1}]}",
                "layers[0] out_sx", "whole number in [0, 65536]");
    }

    private static void assertError(String json, String field, String text) {
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> ConvNetJs.fromJson(json, "t.json"));
        assertEquals(field, e.field(), e.getMessage());
        assertTrue(e.getMessage().startsWith("t.json: ") && e.getMessage().contains(text), e.getMessage());
    }
}
