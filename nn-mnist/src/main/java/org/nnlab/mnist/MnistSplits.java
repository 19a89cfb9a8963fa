package org.nnlab.mnist;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * The training and test sets of one MNIST-format dataset, full 28x28, pixels scaled to [0, 1].
 *
 * @param train the training set
 * @param test  the test set
 */
public record MnistSplits(MnistDataset train, MnistDataset test) {

    /**
     * Loads the four files of {@code files} from {@code dir}, verifying format and SHA-256.
     *
     * @param files which dataset
     * @param dir   directory holding the files, raw or .gz
     * @return both splits
     * @throws IdxFormatException if a file is malformed or its checksum differs
     * @throws NoSuchFileException naming the missing file and where to get it
     * @throws IOException if a file cannot be read
     */
    public static MnistSplits load(DatasetFiles files, Path dir) throws IOException {
        return new MnistSplits(
                load(files, dir, files.trainImages(), files.trainLabels()),
                load(files, dir, files.testImages(), files.testLabels()));
    }

    private static MnistDataset load(DatasetFiles files, Path dir, DatasetFiles.IdxFile imageFile,
                                     DatasetFiles.IdxFile labelFile) throws IOException {
        Path imagePath = require(files, dir, imageFile), labelPath = require(files, dir, labelFile);
        IdxReader.Images images = IdxReader.readImages(imagePath);
        check(imagePath, imageFile, images.sha256());
        if (images.rows() != MnistDataset.SIDE || images.cols() != MnistDataset.SIDE) {
            throw new IdxFormatException(imagePath, "rows/columns", 8, "expected 28x28 images, found "
                    + images.rows() + "x" + images.cols());
        }
        IdxReader.Labels labels = IdxReader.readLabels(labelPath, files.classNames().size());
        check(labelPath, labelFile, labels.sha256());
        if (labels.count() != images.count()) {
            throw new IdxFormatException(labelPath, "item count", 4, labels.count() + " labels for the "
                    + images.count() + " images of " + imagePath);
        }
        return new MnistDataset(images.pixels(), labels.values(), files.classNames());
    }

    private static Path require(DatasetFiles files, Path dir, DatasetFiles.IdxFile file) throws NoSuchFileException {
        return DatasetFiles.find(dir, file).orElseThrow(() -> new NoSuchFileException(dir.resolve(file.name())
                .toString(), null, files.name() + " file " + file.name() + " (or " + file.name()
                + ".gz) is not in " + dir + "; put the four files there or fetch them (see docs/mnist.md)"));
    }

    private static void check(Path path, DatasetFiles.IdxFile file, String actual) throws IdxFormatException {
        if (!file.sha256().equals(actual)) {
            throw new IdxFormatException(path, "SHA-256 of the decompressed file", 0, "expected " + file.sha256()
                    + ", found " + actual + " (corrupt or a different file: delete it and fetch again)");
        }
    }
}
