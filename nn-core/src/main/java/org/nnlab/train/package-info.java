/**
 * Training: the {@link org.nnlab.train.Trainer} (mini-batches, weight decay, threads, evaluation),
 * its listeners, and checkpoints.
 *
 * <pre>{@code
 * Trainer trainer = Trainer.builder(net, new Adadelta())
 *         .batchSize(20)
 *         .l2Decay(0.001 / 20)
 *         .listener(new Checkpointer(Path.of("checkpoint.nnlab"), 1000, true, Map::of))
 *         .build();
 * trainer.fit(train, 1);
 * Evaluation result = trainer.evaluate(test);
 * }</pre>
 *
 * <p>Same seeds and data give bitwise the same weights for any thread count, and a run resumed from a
 * {@link org.nnlab.train.Checkpoint} equals the uninterrupted one.
 */
package org.nnlab.train;
