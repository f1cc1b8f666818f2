package org.karyo.rest.support;

import org.slf4j.MDC;

/**
 * The address of the client that made the current request: the TCP peer, or, when the peer is a trusted proxy, the
 * nearest untrusted address in {@code X-Forwarded-For}. The platform's edge filter sets it for the request thread (MDC
 * key {@value #MDC_KEY}, which the audit trail records); resources read it for per-address login back-off.
 */
public final class ClientAddress {
    private ClientAddress() {}

    /** The MDC key that holds the client address during a request. */
    public static final String MDC_KEY = "clientIp";

    /** The current request's client address, or {@code "unknown"} outside a request. */
    public static String current() {
        String address = MDC.get(MDC_KEY);
        return address == null || address.isBlank() ? "unknown" : address;
    }
}
