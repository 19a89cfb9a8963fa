package org.nnlab.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

class WorkersTest {

    @Test
    void everyIndexRunsExactlyOnceOnTheRequestedThreads() {
        for (int threads = 1; threads <= 3; threads++) {
            try (Workers workers = new Workers(threads)) {
                for (int count : new int[] {1, 2, 3, 7, 100}) {
                    int[] hits = new int[count];
                    Set<String> names = ConcurrentHashMap.newKeySet();
                    workers.forEach(count, Workers.MIN_PARALLEL_WORK, (from, to, worker) -> {
                        names.add(Thread.currentThread().getName());
                        for (int i = from; i < to; i++) {
                            hits[i]++;
                        }
                    });
                    for (int i = 0; i < count; i++) {
                        assertEquals(1, hits[i], "index " + i + " with " + threads + " threads");
                    }
                    assertEquals(Math.min(threads, count), names.size(),
                            "threads used for " + count + " items with " + threads + " threads");
                }
            }
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
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> workers.forEach(2, Workers.MIN_PARALLEL_WORK, (from, to, worker) -> {
                        if (worker == 1) {
                            throw new IllegalStateException("boom in worker 1");
                        }
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
}
