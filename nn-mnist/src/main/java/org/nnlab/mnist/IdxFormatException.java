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
    /** The file that failed (not serialised: Path is not Serializable). */
    private final transient Path file;
    /** Which part of the file. */
    private final String field;
    /** Byte offset in the decompressed data. */
    private final long offset;

    /**
     * @param file the file that failed
     * @param field which part of the file
     * @param offset byte offset in the decompressed IDX data
     * @param problem what was expected and what was found
     */
    public IdxFormatException(Path file, String field, long offset, String problem) {
        super(file + ": " + field + " at byte " + offset + ": " + problem);
        this.file = file;
        this.field = field;
        this.offset = offset;
    }

    /** @return the file that failed */
    public Path file() {
        return file;
    }

    /** @return which part of the file, e.g. "magic", "item count", "label 17" */
    public String field() {
        return field;
    }

    /** @return the byte offset in the decompressed IDX data */
    public long offset() {
        return offset;
    }
}
