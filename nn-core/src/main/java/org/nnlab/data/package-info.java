/**
 * Labelled examples as the trainer consumes them: {@link org.nnlab.data.Dataset} (augmentation gets a
 * seeded stream in training and none in evaluation), {@link org.nnlab.data.ArrayDataset} for arrays in
 * memory, and the reusable {@link org.nnlab.data.Batch}.
 */
package org.nnlab.data;
