package org.nnlab.io;

import java.io.IOException;

/**
 * A model, checkpoint or ConvNetJS file that cannot be read: names the file, the field and the byte
 * (or character) offset, and says what was expected and what was found. Thrown before anything large
 * is allocated and before any net is returned.
 */
public final class ModelFormatException extends IOException {
    private static final long serialVersionUID = 1L;
    private final String source;
    private final String field;
    private final long offset;

    public ModelFormatException(String source, String field, long offset, String problem) {
        super(source + ": " + field + (offset >= 0 ? " at offset " + offset : "") + ": " + problem);
        this.source = source;
        this.field = field;
        this.offset = offset;
    }

    /** The file (or other source) being read. */
    public String source() {
        return source;
    }

    /** The field that was wrong, e.g. "magic", "layer 3 (Conv2d) filters", "checksum". */
    public String field() {
        return field;
    }

    /** Where the field starts: bytes for binary files, characters for JSON text; -1 if not known. */
    public long offset() {
        return offset;
    }
}
