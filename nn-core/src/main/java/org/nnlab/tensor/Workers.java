package org.nnlab.tensor;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.locks.LockSupport;

/**
 * A fixed set of threads that split a loop {@code [0, count)} between them.
 *
 * <p>nnlab's determinism rests on how layers use this: every output value (an activation, a gradient
 * entry) is written by the task call that handles its index, which computes it in the same order a
 * single thread would. So results are bitwise identical for any thread count and whichever thread
 * ran which index, with no reduction across threads.
 *
 * <p>Each thread owns one contiguous part of the loop and takes it in small chunks from the front;
 * a thread that runs out of its own part takes the remaining chunks of the others. So a thread that
 * starts late or runs slower (here the worker took ~5 % longer than the caller for the same work)
 * holds up the pass by at most a chunk, not by the difference over a whole part
 * (docs/design-notes.md). The calling thread runs part 0 itself; with one thread nothing is ever
 * started. Dispatch allocates nothing, so it can sit inside the training step. Idle workers spin
 * briefly and then park. Not meant to be shared by concurrent callers: one {@code Net} owns one
 * {@code Workers}.
 */
public final class Workers implements AutoCloseable {

    /**
     * The body of a split loop: handles {@code [from, to)} on worker {@code worker}. One dispatch calls
     * it several times, on any of the threads, for disjoint ranges that together cover the loop once.
     */
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
    private int chunk;
    /**
     * Per part, the next index nobody has taken yet, at {@code part * PAD}: one cache line each, so
     * threads taking chunks of their own parts do not contend.
     */
    private final AtomicIntegerArray next;
    private static final int PAD = 16;
    private volatile Throwable failure;

    /** @param threads total threads including the caller, at least 1 */
    public Workers(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        this.threads = threads;
        this.started = new Thread[threads - 1];
        this.next = new AtomicIntegerArray(threads * PAD);
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
     * Runs {@code task} over {@code [0, count)}, split into at most {@link #threads()} parts taken in
     * chunks (see the class comment), and returns when every index is done. Runs on the caller alone
     * when there is one thread or when {@code count * workPerItem} is below {@link #MIN_PARALLEL_WORK}.
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
        this.chunk = Math.max(1, count / p / CHUNKS_PER_PART);
        for (int i = 0; i < p; i++) {
            next.set(i * PAD, partEnd(i - 1));
        }
        this.failure = null;
        // Every worker acknowledges every generation, even without a part, so none can lag behind
        // and read the fields of the next dispatch.
        pending.set(threads - 1);
        generation++; // volatile write publishes the fields and counters set above
        for (int i = 0; i < threads - 1; i++) {
            LockSupport.unpark(started[i]);
        }
        try {
            runChunks(0);
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

    /** Chunks per part: enough to even out a late start, few enough to keep claiming cheap. */
    private static final int CHUNKS_PER_PART = 8;

    /** The end of {@code part}; {@code partEnd(-1)} is 0. */
    private int partEnd(int part) {
        return (int) ((long) count * (part + 1) / parts);
    }

    /** Own part first, then what is left of the others, in order after it. */
    private void runChunks(int self) {
        for (int k = 0; k < parts; k++) {
            int part = (self + k) % parts, end = partEnd(part), from;
            while ((from = next.getAndAdd(part * PAD, chunk)) < end) {
                task.run(from, Math.min(end, from + chunk), self);
            }
        }
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
                    runChunks(worker);
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
