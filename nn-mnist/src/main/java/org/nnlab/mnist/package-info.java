/**
 * MNIST and Fashion-MNIST for nnlab: IDX files read with every size and the SHA-256 checked, views
 * with random 24x24 crops for training and centre crops for evaluation, and an explicit, verified
 * fetch.
 *
 * <pre>{@code
 * MnistSplits mnist = Mnist.load(Mnist.fetch(new Fetcher(System.out::println)));
 * trainer.fit(mnist.train().withCrop(24), 1);   // a fresh random crop per example
 * Evaluation result = trainer.evaluate(mnist.test().withCrop(24));   // centre crops
 * }</pre>
 */
package org.nnlab.mnist;
