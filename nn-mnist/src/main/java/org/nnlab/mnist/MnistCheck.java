package org.nnlab.mnist;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Checks a directory of MNIST (or, with {@code --fashion}, Fashion-MNIST) files: format, SHA-256,
 * counts; prints how long loading took. Exit code 0 if good, 1 if not.
 *
 * <pre>java -cp nn-core.jar:nn-mnist.jar org.nnlab.mnist.MnistCheck [--fashion] DIR</pre>
 */
public final class MnistCheck {
    private MnistCheck() {
    }

    /**
     * Checks the four files in the given directory; exits 0 when all are valid, 1 otherwise.
     *
     * @param args {@code [--fashion] DIR}
     */
    public static void main(String[] args) {
        boolean fashion = args.length > 0 && args[0].equals("--fashion");
        if (args.length != (fashion ? 2 : 1)) {
            System.err.println("usage: MnistCheck [--fashion] DIR");
            System.exit(2);
        }
        DatasetFiles files = fashion ? FashionMnist.FILES : Mnist.FILES;
        Path dir = Path.of(args[args.length - 1]);
        try {
            for (int run = 1; run <= 3; run++) {
                long start = System.nanoTime();
                MnistSplits splits = MnistSplits.load(files, dir);
                System.out.printf("%s in %s: %d training + %d test images, checksums match; load %d took %.2f s%n",
                        files.name(), dir, splits.train().size(), splits.test().size(), run,
                        (System.nanoTime() - start) / 1e9);
            }
        } catch (IOException e) {
            System.err.println("error: " + e.getMessage());
            System.exit(1);
        }
    }
}
