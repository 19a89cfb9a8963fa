package org.nnlab.train;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.nnlab.io.AtomicFiles;
import org.nnlab.io.BinaryReader;
import org.nnlab.io.BinaryWriter;
import org.nnlab.io.ModelFormatException;
import org.nnlab.layer.Layer;
import org.nnlab.layer.Parameter;
import org.nnlab.net.ModelFile;
import org.nnlab.net.Net;

/**
 * Everything needed to continue training exactly: the net, the optimizer's state, the trainer's
 * position (step, epoch, place in the epoch, random streams) and the state of {@link Checkpointable}
 * listeners. A model file with a training section (docs/model-format.md); {@link Net#load} reads its net.
 *
 * <pre>{@code
 * Checkpoint.save(trainer, dir.resolve("checkpoint.nnlab"));        // or a Checkpointer listener
 * Checkpoint c = Checkpoint.load(dir.resolve("checkpoint.nnlab"));
 * Trainer trainer = Trainer.builder(c.net(), new Adadelta()).build(); // same settings as before
 * c.restore(trainer);
 * trainer.fitSteps(data, total);   // bitwise as if never interrupted
 * }</pre>
 */
public final class Checkpoint {
    private static final int MAX_SLOTS = 16, MAX_LISTENERS = 256, MAX_COUNTERS = 1024, MAX_ARRAYS = 1 << 16;

    private record ListenerState(String type, long[] counters, float[][] arrays) {
    }

    private final ModelFile model;
    private final String optimizer;
    private final long optimizerUpdates;
    private final float[][] optimizerState;
    private final int batchSize;
    private final float l1Decay, l2Decay;
    private final long seed;
    private final Trainer.Position position;
    private final List<ListenerState> listeners;

    private Checkpoint(ModelFile model, String optimizer, long optimizerUpdates, float[][] optimizerState,
                       int batchSize, float l1Decay, float l2Decay, long seed, Trainer.Position position,
                       List<ListenerState> listeners) {
        this.model = model;
        this.optimizer = optimizer;
        this.optimizerUpdates = optimizerUpdates;
        this.optimizerState = optimizerState;
        this.batchSize = batchSize;
        this.l1Decay = l1Decay;
        this.l2Decay = l2Decay;
        this.seed = seed;
        this.position = position;
        this.listeners = listeners;
    }

    /**
     * Saves the trainer's state to {@code file}, atomically.
     *
     * @param trainer the trainer, between steps
     * @param file the file to create or replace
     * @throws NonFiniteException if a weight or optimizer value is NaN or infinite (nothing is written)
     * @throws IllegalArgumentException if the net has a layer that is not a built-in type
     * @throws IOException if the file cannot be written
     */
    public static void save(Trainer trainer, Path file) throws IOException {
        save(trainer, file, Map.of());
    }

    /**
     * Saves the trainer's state and {@code metadata} (e.g. an application's settings) to {@code file},
     * atomically: a crash mid-write leaves the previous file intact.
     *
     * @param trainer the trainer, between steps
     * @param file the file to create or replace
     * @param metadata string pairs to keep with the checkpoint
     * @throws NonFiniteException if a weight or optimizer value is NaN or infinite (nothing is written)
     * @throws IllegalArgumentException if the net has a layer that is not a built-in type
     * @throws IOException if the file cannot be written
     */
    public static void save(Trainer trainer, Path file, Map<String, String> metadata) throws IOException {
        Net net = trainer.net();
        List<Parameter> params = net.parameters();
        List<float[]> state = trainer.optimizer().state(params);
        for (int i = 0; i < params.size(); i++) {
            requireFinite(params.get(i).value(), "weights: " + params.get(i).name());
        }
        for (float[] s : state) {
            requireFinite(s, "optimizer state");
        }
        if (!params.isEmpty() && state.size() % params.size() != 0) {
            throw new IllegalStateException(trainer.optimizer() + " returned " + state.size() + " state arrays for "
                    + params.size() + " parameters");
        }
        Trainer.Position p = trainer.position();
        AtomicFiles.write(file, out -> {
            BinaryWriter w = new BinaryWriter(out);
            ModelFile.writeNet(w, net, ModelFile.Kind.CHECKPOINT, metadata);
            w.string(trainer.optimizer().toString()).i64(trainer.optimizer().updates());
            w.i32(params.isEmpty() ? 0 : state.size() / params.size());
            for (float[] s : state) {
                w.floats(s);
            }
            w.i32(trainer.batchSize()).f32(trainer.l1Decay()).f32(trainer.l2Decay()).i64(trainer.seed());
            w.i64(p.steps()).i64(p.skippedSteps()).i32(p.epoch()).u8(p.epochInProgress() ? 1 : 0)
                    .i32(p.epochPosition()).i32(p.datasetSize());
            w.i64(p.epochShuffleState()).i64(p.shuffleState()).i64(p.augmentState());
            w.f64(p.epochLossSum()).i32(p.epochSteps()).i64(p.epochNanos()).i64(p.trainingNanos());
            List<TrainingListener> stateful = trainer.listeners().stream()
                    .filter(l -> l instanceof Checkpointable).toList();
            w.i32(stateful.size());
            for (TrainingListener l : stateful) {
                Checkpointable c = (Checkpointable) l;
                long[] counters = c.saveCounters();
                float[][] arrays = c.saveArrays();
                w.string(l.getClass().getName()).i32(counters.length);
                for (long v : counters) {
                    w.i64(v);
                }
                w.i32(arrays.length);
                for (float[] a : arrays) {
                    w.i32(a.length).floats(a);
                }
            }
            w.finish();
        });
    }

    private static void requireFinite(float[] a, String what) {
        for (float v : a) {
            if (!Float.isFinite(v)) {
                throw new NonFiniteException("not saving a checkpoint with a non-finite value in the " + what);
            }
        }
    }

    /**
     * Reads and validates a checkpoint; see {@link ModelFile} for what is checked.
     *
     * @param file a file written by {@link #save}
     * @return the checkpoint, ready to {@link #restore} into a trainer
     * @throws ModelFormatException naming the field and offset if the file is not a valid checkpoint
     * @throws IOException if the file cannot be read
     */
    public static Checkpoint load(Path file) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
            BinaryReader r = new BinaryReader(in, file.toString(), Files.size(file));
            ModelFile model = ModelFile.readNet(r);
            if (model.kind() != ModelFile.Kind.CHECKPOINT) {
                throw r.error("kind", 10, "expected a checkpoint, found a model file (it has no training state; "
                        + "load it with Net.load)");
            }
            List<Parameter> params = model.net().parameters();
            String optimizer = r.string("optimizer", 1024);
            long updates = r.i64("optimizer updates");
            int slots = r.i32("optimizer slots per parameter", 0, MAX_SLOTS);
            r.requireRemaining((long) slots * model.net().parameterCount(), 4, "optimizer state");
            float[][] state = new float[slots * params.size()][];
            for (int i = 0; i < state.length; i++) {
                state[i] = new float[params.get(i / slots).size()];
                r.floats(state[i], "optimizer state of " + params.get(i / slots).name());
            }
            int batchSize = r.i32("batch size", 1, Integer.MAX_VALUE);
            float l1 = r.f32("L1 decay"), l2 = r.f32("L2 decay");
            long seed = r.i64("trainer seed");
            long at = r.offset();
            long steps = r.i64("steps"), skipped = r.i64("skipped steps");
            int epoch = r.i32("epoch", 0, Integer.MAX_VALUE);
            boolean inProgress = r.u8("epoch in progress") != 0;
            int epochPosition = r.i32("epoch position", 0, Integer.MAX_VALUE);
            int datasetSize = r.i32("dataset size", 0, Integer.MAX_VALUE);
            if (steps < 0 || skipped < 0 || skipped > steps || epochPosition > datasetSize
                    || (inProgress && datasetSize == 0)) {
                throw r.error("trainer position", at, "inconsistent: step " + steps + ", " + skipped + " skipped, "
                        + epochPosition + " of " + datasetSize + " examples into epoch " + epoch);
            }
            Trainer.Position position = new Trainer.Position(steps, skipped, epoch, inProgress, epochPosition,
                    datasetSize, r.i64("epoch shuffle state"), r.i64("shuffle state"), r.i64("augment state"),
                    r.f64("epoch loss sum"), r.i32("epoch steps", 0, Integer.MAX_VALUE), r.i64("epoch time"),
                    r.i64("training time"));
            int count = r.i32("listener count", 0, MAX_LISTENERS);
            List<ListenerState> listeners = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                String type = r.string("listener " + i + " type", 1024);
                long[] counters = new long[r.i32("listener " + i + " counters", 0, MAX_COUNTERS)];
                r.requireRemaining(counters.length, 8, "listener " + i + " counters");
                for (int k = 0; k < counters.length; k++) {
                    counters[k] = r.i64("listener " + i + " counter " + k);
                }
                float[][] arrays = new float[r.i32("listener " + i + " arrays", 0, MAX_ARRAYS)][];
                r.requireRemaining(arrays.length, 4, "listener " + i + " arrays");
                for (int k = 0; k < arrays.length; k++) {
                    int n = r.i32("listener " + i + " array " + k + " length", 0, Integer.MAX_VALUE);
                    r.requireRemaining(n, 4, "listener " + i + " array " + k);
                    arrays[k] = new float[n];
                    r.floats(arrays[k], "listener " + i + " array " + k);
                }
                listeners.add(new ListenerState(type, counters, arrays));
            }
            r.verifyChecksum();
            return new Checkpoint(model, optimizer, updates, state, batchSize, l1, l2, seed, position,
                    List.copyOf(listeners));
        }
    }

    /** @return the net as it was at the checkpoint (its weights, dropout streams) */
    public Net net() {
        return model.net();
    }

    /** @return the string pairs saved with the checkpoint, in file order */
    public Map<String, String> metadata() {
        return model.metadata();
    }

    /** @return the steps done when the checkpoint was taken */
    public long steps() {
        return position.steps();
    }

    /** @return the epoch in progress when the checkpoint was taken (1-based) */
    public int epoch() {
        return position.epoch();
    }

    /**
     * Puts the checkpoint's state into {@code trainer}: its net's weights (if it is not {@link #net()}
     * itself), optimizer state, position and {@link Checkpointable} listeners. The trainer must have
     * been built with the same optimizer settings, batch size, decay, seed and stateful listeners.
     *
     * @param trainer a trainer built for the checkpoint's net (or a copy of it) with the same settings
     * @throws IllegalArgumentException naming the first setting that differs; nothing is changed then
     */
    public void restore(Trainer trainer) {
        check(trainer.optimizer().toString().equals(optimizer), "optimizer", optimizer, trainer.optimizer());
        check(trainer.batchSize() == batchSize, "batch size", batchSize, trainer.batchSize());
        check(trainer.l1Decay() == l1Decay, "L1 decay", l1Decay, trainer.l1Decay());
        check(trainer.l2Decay() == l2Decay, "L2 decay", l2Decay, trainer.l2Decay());
        check(trainer.seed() == seed, "trainer seed", seed, trainer.seed());
        Net target = trainer.net();
        List<Layer> from = net().layers(), to = target.layers();
        boolean same = from.size() == to.size();
        for (int i = 0; same && i < from.size(); i++) {
            same = from.get(i).type().equals(to.get(i).type()) && from.get(i).settings().equals(to.get(i).settings())
                    && from.get(i).outputShape().equals(to.get(i).outputShape());
        }
        check(same && target.inputShape().equals(net().inputShape()), "architecture", net().summary(),
                target.summary());
        List<float[]> state = trainer.optimizer().state(target.parameters());
        check(state.size() == optimizerState.length, "optimizer state arrays", optimizerState.length, state.size());
        List<TrainingListener> stateful = trainer.listeners().stream().filter(l -> l instanceof Checkpointable)
                .toList();
        check(stateful.size() == listeners.size(), "stateful listeners", listeners.stream()
                .map(ListenerState::type).toList(), stateful.stream().map(l -> l.getClass().getName()).toList());
        for (int i = 0; i < stateful.size(); i++) {
            check(stateful.get(i).getClass().getName().equals(listeners.get(i).type()), "listener " + i,
                    listeners.get(i).type(), stateful.get(i).getClass().getName());
        }

        if (target != net()) {
            for (int i = 0; i < target.parameters().size(); i++) {
                float[] src = net().parameters().get(i).value();
                System.arraycopy(src, 0, target.parameters().get(i).value(), 0, src.length);
            }
            for (int i = 0; i < to.size(); i++) {
                if (to.get(i) instanceof org.nnlab.layer.Dropout d) {
                    d.random().setState(((org.nnlab.layer.Dropout) from.get(i)).random().state());
                }
            }
        }
        for (int i = 0; i < optimizerState.length; i++) {
            System.arraycopy(optimizerState[i], 0, state.get(i), 0, optimizerState[i].length);
        }
        trainer.optimizer().setUpdates(optimizerUpdates);
        trainer.restore(position);
        for (int i = 0; i < stateful.size(); i++) {
            ListenerState s = listeners.get(i);
            float[][] copies = new float[s.arrays().length][];
            for (int k = 0; k < copies.length; k++) {
                copies[k] = s.arrays()[k].clone();
            }
            ((Checkpointable) stateful.get(i)).restore(position.steps(), s.counters().clone(), copies);
        }
    }

    private static void check(boolean ok, String what, Object saved, Object found) {
        if (!ok) {
            throw new IllegalArgumentException("cannot restore the checkpoint: its " + what + " is " + saved
                    + ", the trainer's is " + found);
        }
    }
}
