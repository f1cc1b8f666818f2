package org.karyo.itests.bola;

/** The callers of the matrix. */
enum Who {
    ANONYMOUS,
    EXPIRED_TOKEN,
    NO_ACCESS,
    SIBLING,
    ANCESTOR,
    OWN_PERIMETER,
    FULL_ADMIN
}
