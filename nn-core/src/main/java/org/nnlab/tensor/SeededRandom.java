package org.nnlab.tensor;

import java.util.random.RandomGenerator;

/**
 * A small, fast random generator (SplitMix64) whose whole state is one {@code long}, so runs can be
 * reproduced bitwise and the state can be saved with a checkpoint.
 *
 * <p>Every random source in nnlab (initialisation, shuffling, crops, dropout) is one of these, made from
 * the user's seed and a purpose with {@link #forPurpose(long, String)}: two purposes never share a
 * stream, and adding a new purpose does not shift the others. Not thread-safe.
 */
public final class SeededRandom implements RandomGenerator {
    private static final long GOLDEN_GAMMA = 0x9e3779b97f4a7c15L;
    private long state;

    /** @param seed the initial state; any value */
    public SeededRandom(long seed) {
        this.state = seed;
    }

    /**
     * An independent stream for {@code purpose}, derived from {@code seed}: adding a purpose never shifts
     * another's stream.
     *
     * @param seed the run's seed
     * @param purpose e.g. "init", "shuffle"
     * @return a new stream
     */
    public static SeededRandom forPurpose(long seed, String purpose) {
        long h = 1125899906842597L;
        for (int i = 0; i < purpose.length(); i++) {
            h = 31 * h + purpose.charAt(i);
        }
        return new SeededRandom(mix(seed ^ mix(h)));
    }

    @Override
    public long nextLong() {
        return mix(state += GOLDEN_GAMMA);
    }

    /**
     * A standard normal sample (Box-Muller with {@link StrictMath}), identical on every JVM: the JDK's
     * default {@code nextGaussian} is not specified bit for bit.
     */
    @Override
    public double nextGaussian() {
        double u1 = (nextLong() >>> 11) * 0x1.0p-53;
        double u2 = (nextLong() >>> 11) * 0x1.0p-53;
        return StrictMath.sqrt(-2.0 * StrictMath.log(1.0 - u1)) * StrictMath.cos(2.0 * Math.PI * u2);
    }

    /** @return the whole state, for checkpoints */
    public long state() {
        return state;
    }

    /**
     * Restores a state returned by {@link #state()}.
     *
     * @param state the saved state
     */
    public void setState(long state) {
        this.state = state;
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
