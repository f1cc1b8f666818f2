package org.karyo.auth.api;

/**
 * Where a login or refresh comes from: the client address (after trusted-proxy rewriting) for per-IP back-off, and
 * the OAuth client id the tokens are issued to.
 */
public record ClientInfo(String address, String clientId) {}
