package org.nnlab.train;

/**
 * What one training step did.
 *
 * @param step               steps done so far, counting this one (from 1)
 * @param epoch              the epoch this step belongs to (from 1)
 * @param batchSize          examples in this step
 * @param loss               mean cross-entropy of the batch, before the update
 * @param decayLoss          the L1/L2 weight-decay term added to the objective
 * @param examplesPerSecond  this step's throughput (batch, forward, backward and update)
 * @param forwardMillis      time in the forward pass
 * @param backwardMillis     time in the backward pass
 */
public record StepStats(long step, int epoch, int batchSize, double loss, double decayLoss,
                        double examplesPerSecond, double forwardMillis, double backwardMillis) {
}
