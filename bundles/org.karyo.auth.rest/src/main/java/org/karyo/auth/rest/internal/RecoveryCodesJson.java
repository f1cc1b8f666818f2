package org.karyo.auth.rest.internal;

import java.util.List;

/** The single-use recovery codes of a confirmed second factor, shown once. */
public record RecoveryCodesJson(List<String> recoveryCodes) {
    @Override
    public String toString() {
        return "RecoveryCodesJson[" + recoveryCodes.size() + " codes]";
    }
}
