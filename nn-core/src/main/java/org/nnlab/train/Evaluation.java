package org.nnlab.train;

/**
 * Accuracy and loss of a net on a dataset.
 *
 * @param step      training steps done when it was measured
 * @param examples  number of examples evaluated
 * @param accuracy  fraction classified correctly, 0..1
 * @param loss      mean cross-entropy
 * @param confusion {@code confusion[actual][predicted]} counts
 */
public record Evaluation(long step, int examples, double accuracy, double loss, int[][] confusion) {

    /**
     * Copies {@code confusion}, so the record is immutable.
     *
     * @param step      training steps done when it was measured
     * @param examples  number of examples evaluated
     * @param accuracy  fraction classified correctly, 0..1
     * @param loss      mean cross-entropy
     * @param confusion {@code confusion[actual][predicted]} counts
     */
    public Evaluation {
        int[][] copy = new int[confusion.length][];
        for (int i = 0; i < confusion.length; i++) {
            copy[i] = confusion[i].clone();
        }
        confusion = copy;
    }

    /** @return a copy of the confusion matrix, {@code [actual][predicted]} */
    @Override
    public int[][] confusion() {
        int[][] copy = new int[confusion.length][];
        for (int i = 0; i < confusion.length; i++) {
            copy[i] = confusion[i].clone();
        }
        return copy;
    }
}
