package org.nnlab.train;

/**
 * Hooks into training: progress bars, live views, logging, checkpoints and early stopping are all
 * listeners. Called on the training thread; the arguments are immutable snapshots, safe to hand to
 * another thread. Call {@link Trainer#stop()} from a hook to end training after the current step.
 */
public interface TrainingListener {

    /**
     * After every step's parameter update.
     *
     * @param trainer the trainer
     * @param stats the step's loss, batch size and counters
     */
    default void onStep(Trainer trainer, StepStats stats) {
    }

    /**
     * After each periodic evaluation (see {@link Trainer.Builder#evaluateEvery}).
     *
     * @param trainer the trainer
     * @param evaluation accuracy, loss and confusion matrix on the evaluation set
     */
    default void onEvaluation(Trainer trainer, Evaluation evaluation) {
    }

    /**
     * After each complete pass over the training set.
     *
     * @param trainer the trainer
     * @param stats the epoch's number, mean loss and time
     */
    default void onEpoch(Trainer trainer, EpochStats stats) {
    }
}
