package org.nnlab.mnist;

import java.io.IOException;

/** The dataset files could not be obtained from any source; the message says where to put them. */
public class MnistUnavailableException extends IOException {
    private static final long serialVersionUID = 1L;

    /** @param message what is missing, what each source said, and where to put the files */
    public MnistUnavailableException(String message) {
        super(message);
    }
}
