package org.karyo.jobs.api;

/**
 * Thrown by a {@link JobHandler} to fail its job with a message a client may read (what was wrong with the input,
 * where). Never put SQL, driver or storage messages or patient data into it.
 */
public class JobFailedException extends Exception {
    private static final long serialVersionUID = 1L;

    public JobFailedException(String message) {
        super(message, null, false, false);
    }
}
