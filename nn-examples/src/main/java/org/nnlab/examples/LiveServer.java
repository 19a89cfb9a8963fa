package org.nnlab.examples;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.nnlab.io.Json;
import org.nnlab.io.ModelFormatException;

/**
 * Serves the live page with the JDK's built-in HTTP server: static files from the jar (a fixed list,
 * so no path can reach anything else), Server-Sent Events at {@code /events}, and a small JSON API.
 * Each viewer has a bounded queue; one that does not keep up is dropped, so no client can hold up the
 * others or the training thread, which never waits for the network.
 */
final class LiveServer implements AutoCloseable {
    static final int MAX_VIEWERS = 32, MAX_BODY = 64 * 1024, QUEUE = 64, DRAIN_LIMIT = 4 << 20;
    private static final long TICK_MS = 500; // twice a second: smooth enough, and few wake-ups on a busy machine
    /** Where the uPlot WebJar keeps its files; the version comes from the WebJar itself (one place: the POM). */
    private static final String UPLOT = "/META-INF/resources/webjars/uplot/" + webJarVersion("org.webjars.npm", "uplot")
            + "/dist/";
    private static final Map<String, String[]> STATIC = Map.of(
            "/", new String[] {"/org/nnlab/examples/live/index.html", "text/html; charset=utf-8"},
            "/app.js", new String[] {"/org/nnlab/examples/live/app.js", "text/javascript; charset=utf-8"},
            "/app.css", new String[] {"/org/nnlab/examples/live/app.css", "text/css; charset=utf-8"},
            "/vendor/uPlot.iife.min.js", new String[] {UPLOT + "uPlot.iife.min.js", "text/javascript; charset=utf-8"},
            "/vendor/uPlot.min.css", new String[] {UPLOT + "uPlot.min.css", "text/css; charset=utf-8"});

    private final LiveView view;
    private final HttpServer server;
    private final ExecutorService pool;
    private final boolean loopback;
    private final List<Viewer> viewers = new CopyOnWriteArrayList<>();
    private final Thread broadcaster;
    private volatile boolean closed;

    private record Built(String event, int[] seen) {
    }

    private static final class Viewer {
        final BlockingQueue<String> queue = new ArrayBlockingQueue<>(QUEUE);
        final int[] seen = new int[3];
        int generation = -1;
        volatile boolean dropped;
    }

    LiveServer(LiveView view, String host, int port) throws IOException {
        // a client that sends its request slowly is cut off instead of holding a thread for ever
        System.setProperty("sun.net.httpserver.maxReqTime", System.getProperty("sun.net.httpserver.maxReqTime", "10"));
        this.view = view;
        InetAddress address = InetAddress.getByName(host);
        this.loopback = address.isLoopbackAddress();
        this.server = HttpServer.create(new InetSocketAddress(address, port), 64);
        this.pool = new ThreadPoolExecutor(2, MAX_VIEWERS + 16, 30, TimeUnit.SECONDS, new SynchronousQueue<>(),
                r -> {
                    Thread t = new Thread(r, "nnlab-live-http");
                    t.setDaemon(true);
                    return t;
                }, new ThreadPoolExecutor.CallerRunsPolicy());
        server.setExecutor(pool);
        server.createContext("/", this::handle);
        server.start();
        broadcaster = new Thread(this::broadcast, "nnlab-live-broadcast");
        broadcaster.setDaemon(true);
        broadcaster.start();
    }

    private static String webJarVersion(String group, String artifact) {
        String path = "/META-INF/maven/" + group + "/" + artifact + "/pom.properties";
        try (InputStream in = LiveServer.class.getResourceAsStream(path)) {
            java.util.Properties p = new java.util.Properties();
            if (in != null) {
                p.load(in);
            }
            return p.getProperty("version", "missing-" + artifact + "-webjar");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot read " + path, e);
        }
    }

    URI url() {
        InetSocketAddress a = server.getAddress();
        String host = a.getAddress().isAnyLocalAddress() ? "localhost" : a.getAddress().getHostAddress();
        if (host.contains(":")) {
            host = "[" + host + "]";
        }
        return URI.create("http://" + host + ":" + a.getPort() + "/");
    }

    int viewerCount() {
        return viewers.size();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getPath();
            String method = ex.getRequestMethod();
            if (!hostAllowed(ex.getRequestHeaders())) {
                send(ex, 403, "text/plain", "forbidden: unexpected Host or Origin header");
                return;
            }
            if (STATIC.containsKey(path)) {
                if (!method.equals("GET") && !method.equals("HEAD")) {
                    methodNotAllowed(ex, "GET");
                    return;
                }
                String[] res = STATIC.get(path);
                try (InputStream in = LiveServer.class.getResourceAsStream(res[0])) {
                    if (in == null) {
                        send(ex, 500, "text/plain", "missing resource " + res[0]);
                        return;
                    }
                    send(ex, 200, res[1], in.readAllBytes());
                }
                return;
            }
            switch (path) {
                case "/events" -> {
                    if (!method.equals("GET")) {
                        methodNotAllowed(ex, "GET");
                    } else {
                        events(ex);
                    }
                }
                case "/api/state" -> {
                    if (!method.equals("GET")) {
                        methodNotAllowed(ex, "GET");
                    } else {
                        send(ex, 200, "application/json", view.snapshot());
                    }
                }
                case "/api/pause", "/api/resume", "/api/reset" -> {
                    if (!method.equals("POST")) {
                        methodNotAllowed(ex, "POST");
                        return;
                    }
                    readBody(ex); // bounded; the content is ignored
                    switch (path) {
                        case "/api/pause" -> view.setPaused(true);
                        case "/api/resume" -> view.setPaused(false);
                        default -> view.requestReset();
                    }
                    send(ex, 200, "application/json", "{\"state\":\"" + view.state() + "\"}");
                }
                case "/api/predict" -> {
                    if (!method.equals("POST")) {
                        methodNotAllowed(ex, "POST");
                        return;
                    }
                    byte[] body = readBody(ex);
                    if (body == null) {
                        send(ex, 413, "text/plain", "request body larger than " + MAX_BODY + " bytes");
                        return;
                    }
                    float[] ink;
                    try {
                        ink = parseImage(new String(body, StandardCharsets.UTF_8));
                    } catch (IllegalArgumentException | ModelFormatException e) {
                        send(ex, 400, "text/plain", "bad image: " + e.getMessage());
                        return;
                    }
                    send(ex, 200, "application/json", view.predictDrawing(ink));
                }
                case "/api/activations" -> {
                    if (!method.equals("GET")) {
                        methodNotAllowed(ex, "GET");
                        return;
                    }
                    String q = ex.getRequestURI().getQuery();
                    int index;
                    try {
                        index = q != null && q.startsWith("sample=") ? Integer.parseInt(q.substring(7)) : -1;
                    } catch (NumberFormatException e) {
                        index = -1;
                    }
                    if (index < 0 || index >= view.sampleCount()) {
                        send(ex, 400, "text/plain", "expected ?sample=N with N in [0, " + (view.sampleCount() - 1) + "]");
                        return;
                    }
                    send(ex, 200, "application/json", view.activations(index));
                }
                default -> send(ex, 404, "text/plain", "not found: " + path);
            }
        } catch (IOException e) {
            // the client went away; nothing to tell it
        }
    }

    /**
     * The drawing: a JSON array of 784 numbers, or of 28 rows of 28, each in [0, 1] (ink intensity).
     */
    static float[] parseImage(String body) throws ModelFormatException {
        Object parsed = Json.parse(body.strip(), "request body");
        if (!(parsed instanceof List<?> list)) {
            throw new IllegalArgumentException("expected a JSON array of 784 numbers (or 28 arrays of 28)");
        }
        float[] ink = new float[784];
        if (list.size() == 28 && list.stream().allMatch(r -> r instanceof List<?>)) {
            for (int y = 0; y < 28; y++) {
                List<?> row = (List<?>) list.get(y);
                if (row.size() != 28) {
                    throw new IllegalArgumentException("row " + y + " has " + row.size() + " values, expected 28");
                }
                for (int x = 0; x < 28; x++) {
                    ink[y * 28 + x] = pixel(row.get(x), y * 28 + x);
                }
            }
            return ink;
        }
        if (list.size() != 784) {
            throw new IllegalArgumentException("expected 784 values (28x28), got " + list.size());
        }
        for (int i = 0; i < 784; i++) {
            ink[i] = pixel(list.get(i), i);
        }
        return ink;
    }

    private static float pixel(Object v, int index) {
        if (!(v instanceof Double d) || !(d >= 0 && d <= 1)) {
            throw new IllegalArgumentException("value " + index + " is " + v + ", expected a number in [0, 1]");
        }
        return d.floatValue();
    }

    private void events(HttpExchange ex) throws IOException {
        if (viewers.size() >= MAX_VIEWERS) {
            send(ex, 503, "text/plain", "too many viewers (" + MAX_VIEWERS + ")");
            return;
        }
        Viewer v = new Viewer();
        viewers.add(v);
        try {
            ex.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
            ex.getResponseHeaders().set("Cache-Control", "no-store");
            ex.sendResponseHeaders(200, 0);
            OutputStream out = ex.getResponseBody();
            offerSnapshot(v);
            while (!closed && !v.dropped) {
                String event;
                try {
                    event = v.queue.poll(15, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    return;
                }
                out.write((event != null ? event : ": keep-alive\n\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
        } finally {
            viewers.remove(v);
        }
    }

    private void offerSnapshot(Viewer v) {
        synchronized (v) {
            String[] event = new String[1];
            view.atomically(() -> {
                v.generation = view.generation();
                event[0] = "event: snapshot\ndata: " + view.snapshot() + "\n\n";
                System.arraycopy(view.counts(), 0, v.seen, 0, 3);
            });
            offer(v, event[0]);
        }
    }

    private void offer(Viewer v, String event) {
        if (!v.queue.offer(event)) {
            v.dropped = true; // it cannot keep up; its page reconnects and gets a fresh snapshot
        }
    }

    /** Four times a second, each viewer gets what changed since its last event. */
    private void broadcast() {
        int lastVersion = -1;
        while (!closed) {
            try {
                Thread.sleep(TICK_MS);
            } catch (InterruptedException e) {
                return;
            }
            int version = view.version();
            if (version == lastVersion) {
                continue;
            }
            lastVersion = version;
            // viewers in step (the usual case) share one update, built once per tick
            Map<List<Integer>, Built> built = new HashMap<>();
            for (Viewer v : viewers) {
                synchronized (v) {
                    if (v.generation != view.generation()) {
                        offerSnapshot(v);
                        continue;
                    }
                    Built b = built.computeIfAbsent(List.of(v.seen[0], v.seen[1], v.seen[2]), k -> {
                        int[] seen = v.seen.clone();
                        String event = "event: update\ndata: " + view.update(seen) + "\n\n";
                        return new Built(event, seen);
                    });
                    System.arraycopy(b.seen(), 0, v.seen, 0, 3);
                    offer(v, b.event());
                }
            }
        }
    }

    /** Guards a loopback server against DNS rebinding and other sites' pages posting to it. */
    private boolean hostAllowed(Headers headers) {
        if (!loopback) {
            return true;
        }
        String host = headers.getFirst("Host");
        if (host == null) {
            return false;
        }
        String name = host.startsWith("[") ? host.substring(0, host.indexOf(']') + 1)
                : host.contains(":") ? host.substring(0, host.lastIndexOf(':')) : host;
        name = name.toLowerCase(Locale.ROOT);
        if (!name.equals("localhost") && !name.equals("127.0.0.1") && !name.equals("[::1]")) {
            return false;
        }
        String origin = headers.getFirst("Origin");
        return origin == null || origin.equalsIgnoreCase("http://" + host);
    }

    /** The body, or null if it is larger than {@link #MAX_BODY} (reading stops there). */
    private static byte[] readBody(HttpExchange ex) throws IOException {
        InputStream in = ex.getRequestBody();
        byte[] body = in.readNBytes(MAX_BODY + 1);
        return body.length > MAX_BODY ? null : body;
    }

    /**
     * Discards (up to a limit) what the client is still sending: closing with unread request data would
     * reset the connection before the client reads the response, e.g. a 413.
     */
    private static void drainRequest(HttpExchange ex) throws IOException {
        InputStream in = ex.getRequestBody();
        byte[] sink = new byte[8192];
        long skipped = 0;
        for (int n; skipped < DRAIN_LIMIT && (n = in.read(sink)) > 0; ) {
            skipped += n;
        }
    }

    private static void methodNotAllowed(HttpExchange ex, String allowed) throws IOException {
        ex.getResponseHeaders().set("Allow", allowed);
        send(ex, 405, "text/plain", ex.getRequestMethod() + " is not allowed here; use " + allowed);
    }

    private static void send(HttpExchange ex, int status, String type, String body) throws IOException {
        send(ex, status, type, body.getBytes(StandardCharsets.UTF_8));
    }

    private static void send(HttpExchange ex, int status, String type, byte[] body) throws IOException {
        drainRequest(ex);
        ex.getResponseHeaders().set("Content-Type", type);
        ex.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        ex.getResponseHeaders().set("Cache-Control", "no-store");
        boolean head = ex.getRequestMethod().equals("HEAD");
        ex.sendResponseHeaders(status, head ? -1 : body.length == 0 ? -1 : body.length);
        if (!head && body.length > 0) {
            ex.getResponseBody().write(body);
        }
    }

    @Override
    public void close() {
        closed = true;
        broadcaster.interrupt();
        server.stop(0);
        pool.shutdownNow();
    }
}
