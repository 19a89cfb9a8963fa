/**
 * File plumbing shared by nnlab's formats: little-endian readers and writers that check every size
 * against the file before allocating and end in a CRC-32C, atomic replacement of files, a strict JSON
 * parser, and {@link org.nnlab.io.ModelFormatException}, which names the file, field and offset of
 * anything wrong. Depends on no other nnlab package. No Java serialization anywhere.
 */
package org.nnlab.io;
