/**
 * Layers: each one class with a forward and a backward pass over a batch, on one screen.
 *
 * <p>Data is a batch of examples back to back in one {@code float[]}, each example CHW (see
 * {@link org.nnlab.tensor.Shape}). Shapes: {@link org.nnlab.layer.Conv2d} and
 * {@link org.nnlab.layer.MaxPool2d} document their output-size formulas; element-wise layers keep the
 * shape; {@link org.nnlab.layer.Dense} and {@link org.nnlab.layer.Softmax} output {@code 1x1xN}.
 *
 * <p>A layer of your own extends {@link org.nnlab.layer.Layer} and is added with
 * {@link org.nnlab.net.NetBuilder#layer}; its backward pass is checked against finite differences by
 * one line in the gradient-check test (docs/api.md shows the whole thing).
 */
package org.nnlab.layer;
