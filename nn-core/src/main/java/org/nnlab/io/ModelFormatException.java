package org.nnlab.io;

import java.io.IOException;

/**
 * A model, checkpoint or ConvNetJS file that cannot be read: names the file, the field and the byte
 * (or character) offset, and says what was expected and what was found. Thrown before anything large
 * is allocated and before any net is returned.
 */
public final class ModelFormatException extends IOException {
    private static final long serialVersionUID = 1L;
    /** The file or other source being read. */
    private final String source;
    /** The field that was wrong. */
    private final String field;
    /** Where the field starts, or -1. */
    private final long offset;

    /**
     * @param source the file (or other source) being read
     * @param field the field that was wrong
     * @param offset where the field starts, or -1 if not known
     * @param problem what was expected and what was found
     */
    public ModelFormatException(String source, String field, long offset, String problem) {
        super(source + ": " + field + (offset >= 0 ? " at offset " + offset : "") + ": " + problem);
        this.source = source;
        this.field = field;
        this.offset = offset;
    }

    /** @return the file (or other source) being read */
    public String source() {
        return source;
    }

    /** @return the field that was wrong, e.g. "magic", "layer 3 (Conv2d) filters", "checksum" */
    public String field() {
        return field;
    }

    /** @return where the field starts: bytes for binary files, characters for JSON text; -1 if not known */
    public long offset() {
        return offset;
    }
}
