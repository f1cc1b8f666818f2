package org.karyo.mail.api;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Sends e-mail through the configured SMTP server. Registered only while SMTP is configured: modules that send mail
 * take an optional reference and skip sending (with one log line) while none is present.
 */
@ProviderType
public interface Mailer {

    /**
     * Sends synchronously.
     *
     * @throws MailException when the server refuses or cannot be reached
     */
    void send(Mail mail) throws MailException;

    /** A failed send; its message names no recipient. */
    final class MailException extends Exception {
        private static final long serialVersionUID = 1L;

        public MailException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
