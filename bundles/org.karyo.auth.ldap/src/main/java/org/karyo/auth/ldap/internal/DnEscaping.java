package org.karyo.auth.ldap.internal;

/**
 * Escapes an attribute value for a distinguished name (RFC 4514 section 2.4), so that a username can only ever be the
 * value of its RDN: {@code jdoe,ou=admins} stays one value and never adds an RDN.
 */
final class DnEscaping {
    private DnEscaping() {}

    static String escapeValue(String value) {
        StringBuilder out = new StringBuilder(value.length() + 8);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean first = i == 0;
            boolean last = i == value.length() - 1;
            switch (c) {
                case '"', '+', ',', ';', '<', '>', '\\', '=' -> out.append('\\').append(c);
                case '#' -> out.append(first ? "\\#" : "#");
                case ' ' -> out.append(first || last ? "\\ " : " ");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        out.append('\\').append(String.format("%02x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }
}
