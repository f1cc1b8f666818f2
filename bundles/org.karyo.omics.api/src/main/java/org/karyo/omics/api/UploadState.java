package org.karyo.omics.api;

/** The life of an upload. */
public enum UploadState {
    /** Parts (and the declared index) may be sent. */
    RECEIVING,
    /** Completed by the client; its job is validating it. */
    COMPLETING,
    /** Validated: its artifact exists. */
    COMPLETED,
    /** Validation refused the file; see its job. */
    REJECTED,
    /** Aborted by the client or an administrator; its parts are gone. */
    ABORTED,
    /** Not completed before its expiry; its parts are removed by the storage sweeper. */
    EXPIRED
}
