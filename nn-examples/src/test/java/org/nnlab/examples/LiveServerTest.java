package org.nnlab.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.nnlab.mnist.MnistDataset;
import org.nnlab.optim.Adadelta;
import org.nnlab.train.Trainer;

/** The live view's HTTP endpoints, good and bad requests, on generated images (no MNIST needed). */
class LiveServerTest {
    private LiveView view;
    private LiveServer server;
    private final HttpClient http = HttpClient.newHttpClient();

    static MnistDataset images(int count, long seed) {
        Random r = new Random(seed);
        byte[] pixels = new byte[count * 784], labels = new byte[count];
        for (int i = 0; i < count; i++) {
            labels[i] = (byte) r.nextInt(10);
            for (int j = 0; j < 784; j++) {
                pixels[i * 784 + j] = (byte) (r.nextInt(4) == 0 ? r.nextInt(256) : 0);
            }
        }
        return new MnistDataset(pixels, labels, List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"))
                .withScaling(MnistDataset.Scaling.CENTERED).withCrop(24);
    }

    @BeforeEach
    void start() throws IOException {
        view = new LiveView(() -> MnistLab.labNet(1), images(20, 1));
        view.attach(Trainer.builder(MnistLab.labNet(1), new Adadelta()).build(), 100);
        server = new LiveServer(view, "127.0.0.1", 0);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(server.url().resolve(path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(server.url().resolve(path))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void servesThePageAndItsAssetsFromTheJar() throws Exception {
        HttpResponse<String> page = get("/");
        assertEquals(200, page.statusCode());
        assertTrue(page.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
        assertTrue(page.body().contains("<script src=\"/vendor/uPlot.iife.min.js\">"), "uPlot from the WebJar");
        for (String asset : List.of("/app.js", "/app.css", "/vendor/uPlot.iife.min.js", "/vendor/uPlot.min.css")) {
            HttpResponse<String> r = get(asset);
            assertEquals(200, r.statusCode(), asset);
            assertTrue(r.body().length() > 500, asset);
        }
    }

    @Test
    void unknownPathsAndTraversalAre404() throws Exception {
        for (String path : List.of("/nope", "/app.js/", "/vendor/", "/org/nnlab/examples/live/app.js",
                "/META-INF/MANIFEST.MF", "/%2e%2e/%2e%2e/etc/passwd")) {
            assertEquals(404, get(path).statusCode(), path);
        }
        try (Socket s = new Socket("127.0.0.1", server.url().getPort())) { // a raw path the client would normalise
            String response = raw(s, "GET /../../../etc/passwd HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
            assertTrue(response.startsWith("HTTP/1.1 404"), response);
        }
    }

    @Test
    void controlsArePostOnly() throws Exception {
        for (String path : List.of("/api/pause", "/api/resume", "/api/reset", "/api/predict")) {
            HttpResponse<String> r = get(path);
            assertEquals(405, r.statusCode(), path);
            assertEquals("POST", r.headers().firstValue("Allow").orElse(""), path);
        }
        assertEquals(405, post("/api/state", "").statusCode());
        assertEquals(405, post("/events", "").statusCode());
    }

    @Test
    void pauseAndResumeChangeTheState() throws Exception {
        assertEquals("{\"state\":\"paused\"}", post("/api/pause", "").body());
        assertTrue(get("/api/state").body().contains("\"state\":\"paused\""));
        assertEquals("{\"state\":\"running\"}", post("/api/resume", "").body());
        assertEquals("{\"state\":\"resetting\"}", post("/api/reset", "").body());
        assertTrue(view.takeReset());
    }

    @Test
    void aDrawnDigitGetsProbabilitiesThatSumToOne() throws Exception {
        float[] ink = new float[784];
        for (int y = 6; y < 22; y++) {
            ink[y * 28 + 14] = 1f; // a vertical stroke: a "1"
        }
        StringBuilder flat = new StringBuilder();
        LiveView.floats(flat, ink, 0, 784);
        for (String body : List.of(flat.toString(), rows(ink))) {
            HttpResponse<String> r = post("/api/predict", body);
            assertEquals(200, r.statusCode(), r.body());
            double[] p = numbers(r.body(), "probabilities");
            assertEquals(10, p.length);
            assertEquals(1.0, Arrays.stream(p).sum(), 1e-5);
            double[] image = numbers(r.body(), "image");
            assertEquals(784, image.length);
            assertTrue(Arrays.stream(image).sum() > 5, "the normalised digit has ink");
        }
    }

    @Test
    void badImagesGet400WithAMessage() throws Exception {
        assertBad("[1, 2]", "expected 784 values (28x28), got 2");
        assertBad("{\"x\": 1}", "expected a JSON array of 784 numbers");
        assertBad("not json", "bad image: request body: JSON");
        assertBad("[" + "0,".repeat(783) + "2]", "value 783 is 2.0, expected a number in [0, 1]");
        assertBad("[" + "0,".repeat(783) + "null]", "value 783 is null");
        assertBad("[" + "[0],".repeat(27) + "[0]]", "row 0 has 1 values, expected 28");
        assertBad("", "bad image");
        HttpResponse<String> huge = post("/api/predict", "[" + "0.5,".repeat(40_000) + "0]");
        assertEquals(413, huge.statusCode());
    }

    private void assertBad(String body, String message) throws Exception {
        HttpResponse<String> r = post("/api/predict", body);
        assertEquals(400, r.statusCode(), body);
        assertTrue(r.body().contains(message), r.body());
    }

    @Test
    void activationsOfASampleAndBadIndices() throws Exception {
        HttpResponse<String> r = get("/api/activations?sample=3");
        assertEquals(200, r.statusCode());
        assertTrue(r.body().contains("\"type\":\"Conv2d\",\"shape\":[24,24,8]"), r.body().substring(0, 200));
        assertEquals(8, r.body().split("\"type\"").length - 1, "one entry per layer");
        for (String q : List.of("sample=20", "sample=-1", "sample=x", "", "sample=99999999999")) {
            assertEquals(400, get("/api/activations?" + q).statusCode(), q);
        }
    }

    @Test
    void otherHostsAndOriginsAreRefused() throws Exception {
        try (Socket s = new Socket("127.0.0.1", server.url().getPort())) {
            String response = raw(s, "GET /api/state HTTP/1.1\r\nHost: attacker.example:80\r\nConnection: close\r\n\r\n");
            assertTrue(response.startsWith("HTTP/1.1 403"), response);
        }
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(server.url().resolve("/api/reset"))
                .header("Origin", "http://attacker.example").POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(403, r.statusCode());
        assertTrue(!view.takeReset(), "the reset from another site was not applied");
    }

    @Test
    void eventsStartWithASnapshotOfEverything() throws Exception {
        HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(server.url().resolve("/events")).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertEquals("text/event-stream; charset=utf-8", r.headers().firstValue("Content-Type").orElse(""));
        try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
            assertEquals("event: snapshot", in.readLine());
            String data = in.readLine();
            assertTrue(data.startsWith("data: {\"generation\":1,\"status\":{\"state\":\"running\""), data);
            assertEquals(20, numbers(data, "labels").length);
        }
    }

    @Test
    void pauseHoldsTheTrainingThreadAndResumeReleasesIt() throws Exception {
        Trainer trainer = Trainer.builder(MnistLab.labNet(2), new Adadelta()).batchSize(4).threads(1)
                .listener(view).build();
        view.attach(trainer, 1_000_000);
        MnistDataset data = images(64, 3);
        Thread training = new Thread(() -> trainer.fitSteps(data, 1_000_000));
        training.start();
        try {
            while (trainer.steps() < 5) {
                Thread.sleep(5);
            }
            post("/api/pause", "");
            Thread.sleep(100);
            long paused = trainer.steps();
            Thread.sleep(300);
            assertEquals(paused, trainer.steps(), "no steps while paused");
            post("/api/resume", "");
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (trainer.steps() <= paused + 3 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertTrue(trainer.steps() > paused + 3, "training goes on after resume");
            post("/api/reset", "");
            training.join(10_000);
            assertTrue(!training.isAlive(), "Reset stops the trainer so the lab can start again");
        } finally {
            trainer.stop();
            view.finish("{}");
            training.join(10_000);
        }
    }

    private static String rows(float[] ink) {
        StringBuilder sb = new StringBuilder("[");
        for (int y = 0; y < 28; y++) {
            sb.append(y > 0 ? "," : "");
            LiveView.floats(sb, ink, y * 28, y * 28 + 28);
        }
        return sb.append(']').toString();
    }

    static double[] numbers(String json, String key) {
        Matcher m = Pattern.compile("\"" + key + "\":\\[([^\\]]*)\\]").matcher(json);
        assertTrue(m.find(), key + " missing");
        return Arrays.stream(m.group(1).split(",")).mapToDouble(Double::parseDouble).toArray();
    }

    private static String raw(Socket s, String request) throws IOException {
        s.setSoTimeout(5000);
        OutputStream out = s.getOutputStream();
        out.write(request.getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }

}
