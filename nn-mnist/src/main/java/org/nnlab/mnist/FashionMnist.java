package org.nnlab.mnist;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;

/**
 * Zalando's Fashion-MNIST: the MNIST format with 10 kinds of clothing. Debian's
 * {@code dataset-fashion-mnist} package installs the files in {@code /usr/share/datasets/fashion-mnist/}.
 */
public final class FashionMnist {
    /** File names, checksums (of the decompressed files, computed from Debian's copy) and sources. */
    public static final DatasetFiles FILES = new DatasetFiles("Fashion-MNIST",
            List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag",
                    "Ankle boot"),
            List.of(new DatasetFiles.IdxFile("train-images-idx3-ubyte",
                            "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888"),
                    new DatasetFiles.IdxFile("train-labels-idx1-ubyte",
                            "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9"),
                    new DatasetFiles.IdxFile("t10k-images-idx3-ubyte",
                            "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b"),
                    new DatasetFiles.IdxFile("t10k-labels-idx1-ubyte",
                            "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34")),
            List.of(URI.create("http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/")),
            null, List.of(Path.of("/usr/share/datasets/fashion-mnist")));

    private FashionMnist() {
    }

    /**
     * Loads both splits from {@code dir} (files raw or .gz) and checks each file's SHA-256.
     *
     * @param dir directory holding the four files
     * @return the training and test sets
     * @throws IdxFormatException if a file is malformed or its checksum differs
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
