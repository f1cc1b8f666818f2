package org.karyo.fhir.api;

/**
 * How a write is made.
 *
 * @param ifMatch the version the client last read ({@code If-Match: W/"3"} → {@code "3"}); a stale one is 412; or
 *     {@code null}
 * @param ifNoneExist a conditional create's search ({@code If-None-Exist}, for example {@code identifier=s|v}): when it
 *     matches one resource nothing is created and that one is returned; or {@code null}
 * @param baseUrl the absolute base URL of locations in the answer
 */
public record WriteOptions(String ifMatch, String ifNoneExist, String baseUrl) {

    /** No condition. */
    public static WriteOptions plain(String baseUrl) {
        return new WriteOptions(null, null, baseUrl);
    }
}
