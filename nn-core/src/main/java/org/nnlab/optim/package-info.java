/**
 * Update rules: {@link org.nnlab.optim.Adadelta} (the lab's; no learning rate to tune),
 * {@link org.nnlab.optim.Sgd} with momentum or Nesterov, {@link org.nnlab.optim.Adagrad} and
 * {@link org.nnlab.optim.Adam}. An optimizer updates parameter values in place from their gradients
 * and exposes its state for checkpoints.
 */
package org.nnlab.optim;
