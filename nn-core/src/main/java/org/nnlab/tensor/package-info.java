/**
 * The bottom layer: shapes and tensors, the matrix kernels behind convolution and dense layers, the
 * worker threads that split a batch, and the seeded random streams.
 *
 * <p>Everything here is float32 on the heap, CHW per example. The kernels are plain Java loops that
 * C2 vectorises (docs/design-notes.md says why they take arrays of rows); results never depend on the
 * thread count.
 */
package org.nnlab.tensor;
