package org.nnlab.mnist;

import java.io.IOException;
import java.nio.file.Path;

/**
 * An IDX file that is not what it claims to be: wrong magic, impossible dimensions, truncated, too
 * long, labels out of range, or a checksum mismatch. The message names the file, the field and the
 * byte offset (in the decompressed IDX stream).
 */
public class IdxFormatException extends IOException {
    private static final long serialVersionUID = 1L;
    private final transient Path file;
    private final String field;
    private final long offset;

    public IdxFormatException(Path file, String field, long offset, String problem) {
        super(file + ": " + field + " at byte " + offset + ": " + problem);
        this.file = file;
        this.field = field;
        this.offset = offset;
    }

    /** The file that failed. */
    public Path file() {
        return file;
    }

    /** Which part of the file, e.g. "magic", "item count", "label 17". */
    public String field() {
        return field;
    }

    /** Byte offset in the decompressed IDX data. */
    public long offset() {
        return offset;
    }
}
