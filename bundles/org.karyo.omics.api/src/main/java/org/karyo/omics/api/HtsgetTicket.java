package org.karyo.omics.api;

import java.util.List;

/**
 * An htsget ticket: the URLs a client fetches and concatenates, in order, to get a valid BGZF VCF.
 *
 * @param format {@code VCF}
 * @param urls the pieces
 */
public record HtsgetTicket(String format, List<HtsgetUrl> urls) {
    public HtsgetTicket {
        urls = List.copyOf(urls);
    }
}
