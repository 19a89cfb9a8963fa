package org.nnlab.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class WorkersTest {

    @Test
    void everyIndexRunsExactlyOnceOnTheRequestedThreads() {
        for (int threads = 1; threads <= 3; threads++) {
            try (Workers workers = new Workers(threads)) {
                for (int count : new int[] {1, 2, 3, 7, 20, 100, 1000}) {
                    int[] hits = new int[count];
                    Set<String> names = ConcurrentHashMap.newKeySet();
                    workers.forEach(count, Workers.MIN_PARALLEL_WORK, (from, to, worker) -> {
                        String name = Thread.currentThread().getName();
                        names.add(name);
                        assertEquals(worker == 0, !name.startsWith("nnlab-worker-"), "worker index " + worker + " on " + name);
                        for (int i = from; i < to; i++) {
                            hits[i]++;
                        }
                    });
                    for (int i = 0; i < count; i++) {
                        assertEquals(1, hits[i], "index " + i + " with " + threads + " threads");
                    }
                    // chunks may all be taken by one thread when the others start late
                    assertTrue(names.size() <= Math.min(threads, count), names.toString());
                }
            }
        }
    }

    /** The caller's first chunk waits until the worker has run one: the work really is shared. */
    @Test
    void theWorkerTakesPartOfTheLoop() {
        try (Workers workers = new Workers(2)) {
            AtomicBoolean workerRan = new AtomicBoolean();
            workers.forEach(2, Workers.MIN_PARALLEL_WORK, (from, to, worker) -> {
                if (worker == 1) {
                    workerRan.set(true);
                } else {
                    awaitUpTo10s(workerRan);
                }
            });
            assertTrue(workerRan.get(), "the worker thread never ran a chunk");
        }
    }

    /** A thread that is held up does not hold up the loop: the others take its chunks. */
    @Test
    void chunksOfASlowThreadAreTakenByTheOthers() {
        try (Workers workers = new Workers(2)) {
            int count = 64;
            int[] ranBy = new int[count];
            CountDownLatch callerDone = new CountDownLatch(1);
            workers.forEach(count, Workers.MIN_PARALLEL_WORK, (from, to, worker) -> {
                if (worker == 1) {
                    try { // the worker's first chunk stalls until the caller has finished everything else
                        callerDone.await(10, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                for (int i = from; i < to; i++) {
                    ranBy[i] = worker;
                }
                if (worker == 0 && to == count) { // the caller has reached the end of the worker's part
                    callerDone.countDown();
                }
            });
            int byWorker = 0;
            for (int w : ranBy) {
                byWorker += w;
            }
            assertTrue(byWorker < count / 2, "the caller took none of the stalled worker's chunks: " + byWorker);
        }
    }

    @Test
    void smallWorkStaysOnTheCaller() {
        try (Workers workers = new Workers(2)) {
            Set<String> names = ConcurrentHashMap.newKeySet();
            workers.forEach(10, 1, (from, to, worker) -> names.add(Thread.currentThread().getName()));
            assertEquals(Set.of(Thread.currentThread().getName()), names);
        }
    }

    @Test
    void aFailureInAWorkerReachesTheCaller() {
        try (Workers workers = new Workers(2)) {
            AtomicBoolean workerRan = new AtomicBoolean();
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> workers.forEach(2, Workers.MIN_PARALLEL_WORK, (from, to, worker) -> {
                        if (worker == 1) {
                            workerRan.set(true);
                            throw new IllegalStateException("boom in worker 1");
                        }
                        awaitUpTo10s(workerRan); // keeps index 1 for the worker
                    }));
            assertTrue(e.getMessage().contains("boom"));
            // and the pool still works afterwards
            int[] hits = new int[4];
            workers.forEach(4, Workers.MIN_PARALLEL_WORK, (from, to, worker) -> {
                for (int i = from; i < to; i++) {
                    hits[i]++;
                }
            });
            assertEquals(4, hits[0] + hits[1] + hits[2] + hits[3]);
        }
    }

    /** Spins until {@code flag} is set, for at most 10 s (a broken pool fails the test instead of hanging it). */
    private static void awaitUpTo10s(AtomicBoolean flag) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!flag.get() && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
    }
}
