package org.karyo.omics.api;

import java.util.Map;

/**
 * One URL of an htsget ticket.
 *
 * @param url a {@code data:} URI (inline bytes) or a presigned storage URL
 * @param headers the headers to send with it ({@code Range: bytes=a-b}); empty for none
 * @param dataClass {@code header} or {@code body}
 */
public record HtsgetUrl(String url, Map<String, String> headers, String dataClass) {
    public HtsgetUrl {
        headers = Map.copyOf(headers);
    }
}
