package org.karyo.fhir.api;

import java.util.Optional;
import java.util.Set;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * The terminology module's way into token search: {@code :below}, {@code :above}, {@code :in}, {@code :not-in} (and
 * code expansion for plain codes, such as a parent code standing for its descendants). Without an extension providing a
 * modifier, a search with it is refused with a 400 naming the modifier.
 */
@ConsumerType
public interface SearchExtension {

    /** The modifiers it provides, among {@code below}, {@code above}, {@code in}, {@code not-in}. */
    Set<String> modifiers();

    /**
     * The codes a token value stands for with {@code modifier} (for {@code in} and {@code not-in}, {@code value} is a
     * ValueSet URL and {@code system} {@code null}); empty when the extension does not know the system or value set.
     */
    Optional<Set<Code>> expand(String modifier, String system, String value);
}
