package org.nnlab.train;

/**
 * Hooks into training: progress bars, live views, logging, checkpoints and early stopping are all
 * listeners. Called on the training thread; the arguments are immutable snapshots, safe to hand to
 * another thread. Call {@link Trainer#stop()} from a hook to end training after the current step.
 */
public interface TrainingListener {

    /** After every step's parameter update. */
    default void onStep(Trainer trainer, StepStats stats) {
    }

    /** After each periodic evaluation (see {@link Trainer.Builder#evaluateEvery}). */
    default void onEvaluation(Trainer trainer, Evaluation evaluation) {
    }

    /** After each complete pass over the training set. */
    default void onEpoch(Trainer trainer, EpochStats stats) {
    }
}
