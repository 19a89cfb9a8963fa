package org.nnlab.tensor;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * A fixed set of threads that split a loop {@code [0, count)} into contiguous parts.
 *
 * <p>nnlab's determinism rests on how layers use this: every output value (an activation, a gradient
 * entry) is written by exactly one part, which computes it in the same order a single thread would.
 * So results are bitwise identical for any thread count, with no reduction across threads.
 *
 * <p>The calling thread runs part 0 itself; with one thread nothing is ever started. Dispatch allocates
 * nothing, so it can sit inside the training step. Idle workers spin briefly and then park. Not meant
 * to be shared by concurrent callers: one {@code Net} owns one {@code Workers}.
 */
public final class Workers implements AutoCloseable {

    /** The body of a split loop: handles {@code [from, to)} on worker {@code worker}. */
    @FunctionalInterface
    public interface RangeTask {
        /**
         * @param from first index of this part
         * @param to end of this part, exclusive
         * @param worker which worker runs it, {@code 0 .. threads()-1}: the index of per-thread scratch
         */
        void run(int from, int to, int worker);
    }

    /** Below this many estimated operations a loop is run on the calling thread alone. */
    public static final long MIN_PARALLEL_WORK = 20_000;

    private static final long SPIN_NANOS = 50_000;

    private final int threads;
    private final Thread[] started;
    private final AtomicInteger pending = new AtomicInteger();
    private volatile long generation;
    private volatile boolean closed;
    private RangeTask task;
    private int count;
    private int parts;
    private volatile Throwable failure;

    /** @param threads total threads including the caller, at least 1 */
    public Workers(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        this.threads = threads;
        this.started = new Thread[threads - 1];
        for (int i = 1; i < threads; i++) {
            final int worker = i;
            Thread t = new Thread(() -> workLoop(worker), "nnlab-worker-" + i);
            t.setDaemon(true);
            started[i - 1] = t;
            t.start();
        }
    }

    /** @return the number of threads, the caller's included */
    public int threads() {
        return threads;
    }

    /**
     * Runs {@code task} over {@code [0, count)}, split into at most {@link #threads()} contiguous parts,
     * and returns when all parts are done. Runs on the caller alone when there is one thread or when
     * {@code count * workPerItem} is below {@link #MIN_PARALLEL_WORK}.
     *
     * @param count number of items
     * @param workPerItem rough operations per item, to decide whether splitting pays
     * @param task the loop body; its exception is rethrown here after all parts finish
     */
    public void forEach(int count, long workPerItem, RangeTask task) {
        int p = (int) Math.min(threads, count);
        if (p <= 1 || count * workPerItem < MIN_PARALLEL_WORK) {
            if (count > 0) {
                task.run(0, count, 0);
            }
            return;
        }
        this.task = task;
        this.count = count;
        this.parts = p;
        this.failure = null;
        // Every worker acknowledges every generation, even without a part, so none can lag behind
        // and read the fields of the next dispatch.
        pending.set(threads - 1);
        generation++; // volatile write publishes task, count and parts
        for (int i = 0; i < threads - 1; i++) {
            LockSupport.unpark(started[i]);
        }
        try {
            task.run(0, partEnd(0), 0);
        } finally {
            while (pending.get() > 0) {
                Thread.onSpinWait();
            }
            this.task = null;
        }
        Throwable f = failure;
        if (f != null) {
            if (f instanceof RuntimeException r) {
                throw r;
            }
            if (f instanceof Error e) {
                throw e;
            }
            throw new IllegalStateException(f);
        }
    }

    private int partEnd(int part) {
        return (int) ((long) count * (part + 1) / parts);
    }

    private void workLoop(int worker) {
        long seen = 0;
        while (true) {
            long g = generation;
            if (closed) {
                return;
            }
            if (g == seen) {
                long spinStart = System.nanoTime();
                while (generation == seen && !closed && System.nanoTime() - spinStart < SPIN_NANOS) {
                    Thread.onSpinWait();
                }
                if (generation == seen && !closed) {
                    LockSupport.park(this);
                }
                continue;
            }
            seen = g;
            try {
                if (worker < parts) {
                    task.run(partEnd(worker - 1), partEnd(worker), worker);
                }
            } catch (Throwable t) {
                failure = t;
            } finally {
                pending.decrementAndGet();
            }
        }
    }

    /** Stops the worker threads. The object must not be used afterwards. */
    @Override
    public void close() {
        closed = true;
        for (Thread t : started) {
            LockSupport.unpark(t);
        }
    }
}
