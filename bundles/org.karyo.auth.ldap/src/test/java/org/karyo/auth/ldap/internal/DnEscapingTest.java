package org.karyo.auth.ldap.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.RDN;
import org.junit.jupiter.api.Test;

class DnEscapingTest {

    @Test
    void specialCharactersAreEscapedPerRfc4514() {
        assertThat(DnEscaping.escapeValue("jdoe")).isEqualTo("jdoe");
        assertThat(DnEscaping.escapeValue("a,b+c\"d\\e<f>g;h=i")).isEqualTo("a\\,b\\+c\\\"d\\\\e\\<f\\>g\\;h\\=i");
        assertThat(DnEscaping.escapeValue("#lead")).isEqualTo("\\#lead");
        assertThat(DnEscaping.escapeValue("mid#dle")).isEqualTo("mid#dle");
        assertThat(DnEscaping.escapeValue(" padded ")).isEqualTo("\\ padded\\ ");
        assertThat(DnEscaping.escapeValue("nul\u0000")).isEqualTo("nul\\00");
        assertThat(DnEscaping.escapeValue("José")).isEqualTo("José");
    }

    @Test
    void anEscapedValueIsAlwaysExactlyOneRdnValue() throws Exception {
        for (String hostile :
                new String[] {"x,ou=admins", "x+cn=y", "*)(uid=*", " \\, ", "#00", "a\u0000b", "=", "\\"}) {
            DN dn = new DN("uid=" + DnEscaping.escapeValue(hostile) + ",ou=people,dc=example,dc=org");
            assertThat(dn.getRDNs()).hasSize(4);
            RDN first = dn.getRDN();
            assertThat(first.getAttributeNames()).containsExactly("uid");
            assertThat(first.getAttributeValues()).containsExactly(hostile);
        }
    }
}
