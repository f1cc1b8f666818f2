package org.karyo.mail.api;

import java.util.List;
import java.util.Objects;

/** One e-mail with a plain-text and an HTML part. */
public record Mail(List<String> to, String subject, String text, String html) {
    public Mail {
        to = List.copyOf(to);
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(text, "text");
        if (to.isEmpty()) {
            throw new IllegalArgumentException("an e-mail has at least one recipient");
        }
    }
}
