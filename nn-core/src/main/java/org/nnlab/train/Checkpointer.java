package org.nnlab.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Saves a {@link Checkpoint} every {@code n} steps and/or at the end of every epoch, always to the same
 * file, atomically: a crash or kill mid-write leaves the previous checkpoint loadable. The trainer
 * calls checkpointers after its other listeners, so the state they keep for the step is included.
 */
public final class Checkpointer implements TrainingListener {
    private final Path file;
    private final long everySteps;
    private final boolean everyEpoch;
    private final Supplier<Map<String, String>> metadata;
    private long lastSavedStep = -1;

    /**
     * @param file the checkpoint file, replaced atomically at each save
     * @param everySteps save when the step count is a multiple of this (0: never by steps)
     * @param everyEpoch also save when an epoch ends
     * @param metadata   strings to store with each checkpoint (e.g. the application's settings)
     */
    public Checkpointer(Path file, long everySteps, boolean everyEpoch, Supplier<Map<String, String>> metadata) {
        if (everySteps < 0) {
            throw new IllegalArgumentException("everySteps must be >= 0, got " + everySteps);
        }
        this.file = file;
        this.everySteps = everySteps;
        this.everyEpoch = everyEpoch;
        this.metadata = metadata;
    }

    /** @return the checkpoint file */
    public Path file() {
        return file;
    }

    @Override
    public void onStep(Trainer trainer, StepStats stats) {
        if (everySteps > 0 && stats.step() % everySteps == 0) {
            save(trainer);
        }
    }

    @Override
    public void onEpoch(Trainer trainer, EpochStats stats) {
        if (everyEpoch && trainer.steps() != lastSavedStep) {
            save(trainer);
        }
    }

    /**
     * Saves now (e.g. when training ends between scheduled saves).
     *
     * @param trainer the trainer, between steps
     * @throws java.io.UncheckedIOException if the file cannot be written
     */
    public void save(Trainer trainer) {
        try {
            Checkpoint.save(trainer, file, metadata.get());
            lastSavedStep = trainer.steps();
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the checkpoint " + file + ": " + e.getMessage(), e);
        }
    }
}
