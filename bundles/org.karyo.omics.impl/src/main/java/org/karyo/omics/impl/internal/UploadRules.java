package org.karyo.omics.impl.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.karyo.api.FieldError;
import org.karyo.api.KaryoException;
import org.karyo.api.Kind;
import org.karyo.api.Validator;
import org.karyo.omics.api.ArtifactKind;
import org.karyo.omics.api.ArtifactPatch;
import org.karyo.omics.api.Assembly;
import org.karyo.omics.api.IndexDeclaration;
import org.karyo.omics.api.NewUpload;
import org.karyo.omics.api.ReferenceAssembly;
import org.karyo.omics.api.RepositoryName;
import org.karyo.omics.api.RepositoryRef;
import org.karyo.omics.api.UploadState;

/** The checks of what clients send: every bad field is reported at once, named as in the JSON body. */
final class UploadRules {

    static final int FILE_NAME_MAX = 255;
    static final int KEY_MAX = 128;
    static final int ASSEMBLY_NAME_MAX = 64;

    private static final Pattern SHA256 = Pattern.compile("[0-9a-fA-F]{64}");
    private static final Pattern KEY = Pattern.compile("[\\x21-\\x7e]{1," + KEY_MAX + "}");
    private static final Pattern EGA = Pattern.compile("EGA[A-Z][0-9]{11}");
    private static final Pattern SRA = Pattern.compile("[SED]R[APRSXZ][0-9]{6,9}");
    private static final Pattern GEO = Pattern.compile("G(SE|SM|PL|DS)[0-9]{1,9}");

    private UploadRules() {}

    /**
     * A new upload, checked and normalised: hex in lower case, the index type in upper case, the assembly's standard
     * name filled in.
     */
    record Checked(
            long project,
            ArtifactKind kind,
            long size,
            String sha256,
            String idempotencyKey,
            String fileName,
            Assembly assembly,
            Long participant,
            RepositoryRef repository,
            IndexDeclaration index) {}

    static Checked check(NewUpload u, long maxIndexBytes) {
        if (u == null) {
            throw KaryoException.invalid("body", "is required");
        }
        Validator v = new Validator();
        v.required(u.project(), "project");
        v.check(u.project() == null || u.project() > 0, "project", "must be a positive id");
        v.required(u.kind(), "kind");
        v.required(u.size(), "size");
        v.check(u.size() == null || u.size() > 0, "size", "must be a positive number of bytes");
        sha256(v, u.sha256(), "sha256");
        if (u.idempotencyKey() == null || u.idempotencyKey().isEmpty()) {
            v.check(false, "idempotency_key", "is required");
        } else {
            v.check(
                    KEY.matcher(u.idempotencyKey()).matches(),
                    "idempotency_key",
                    "must be 1 to " + KEY_MAX + " printable ASCII characters without spaces");
        }
        fileName(v, u.fileName(), "file_name");
        Assembly assembly = assembly(v, u.assembly(), "assembly");
        v.check(u.participant() == null || u.participant() > 0, "participant", "must be a positive id");
        repository(v, u.repository(), "repository");
        IndexDeclaration index = null;
        if (u.index() != null) {
            IndexDeclaration i = u.index();
            String type = i.type() == null ? null : i.type().toUpperCase(Locale.ROOT);
            v.check(type != null && (type.equals("TBI") || type.equals("CSI")), "index.type", "must be tbi or csi");
            v.required(i.size(), "index.size");
            v.check(
                    i.size() == null || (i.size() > 0 && i.size() <= maxIndexBytes),
                    "index.size",
                    "must be between 1 and " + maxIndexBytes + " bytes");
            sha256(v, i.sha256(), "index.sha256");
            v.check(u.kind() != ArtifactKind.PARQUET, "index", "a Parquet file has no index");
            v.check(
                    u.kind() != ArtifactKind.BCF || "CSI".equals(type),
                    "index.type",
                    "a BCF file is indexed by a .csi index");
            index = new IndexDeclaration(type, i.size(), lower(i.sha256()));
        }
        v.throwIfInvalid();
        return new Checked(
                u.project(),
                u.kind(),
                u.size(),
                lower(u.sha256()),
                u.idempotencyKey(),
                u.fileName(),
                assembly,
                u.participant(),
                u.repository(),
                index);
    }

    /** Checks a patch's assembly and repository (the participant is checked against the project by the service). */
    static void check(ArtifactPatch p) {
        if (p == null) {
            throw KaryoException.invalid("body", "is required");
        }
        Validator v = new Validator();
        p.assembly().ifPresent(a -> assembly(v, a, "assembly"));
        p.repository().flatMap(r -> r).ifPresent(r -> repository(v, r, "repository"));
        p.participant().flatMap(x -> x).ifPresent(x -> v.check(x > 0, "participant", "must be a positive id"));
        v.throwIfInvalid();
    }

    /** The assembly with the standard name of GRCh37/GRCh38 filled in. */
    static Assembly normalise(Assembly a) {
        if (a.reference() == ReferenceAssembly.OTHER
                || (a.name() != null && !a.name().isBlank())) {
            return new Assembly(a.reference(), a.name().strip());
        }
        return a.reference() == ReferenceAssembly.GRCH37 ? Assembly.GRCH37 : Assembly.GRCH38;
    }

    private static Assembly assembly(Validator v, Assembly a, String field) {
        if (a == null) {
            v.check(false, field, "is required");
            return null;
        }
        if (a.reference() == null) {
            v.check(false, field + ".reference", "is required: GRCH37, GRCH38 or OTHER");
            return null;
        }
        if (a.reference() == ReferenceAssembly.OTHER) {
            v.text(a.name(), field + ".name", ASSEMBLY_NAME_MAX);
        } else {
            v.maxLength(a.name(), field + ".name", ASSEMBLY_NAME_MAX);
        }
        if (a.reference() == ReferenceAssembly.OTHER
                && (a.name() == null || a.name().isBlank())) {
            return null;
        }
        return normalise(a);
    }

    private static void repository(Validator v, RepositoryRef r, String field) {
        if (r == null) {
            return;
        }
        v.check(r.name() != null, field + ".name", "is required with an id: EGA, SRA or GEO");
        v.check(r.id() != null && !r.id().isBlank(), field + ".id", "is required with a name");
        if (r.name() != null && r.id() != null && !r.id().isBlank()) {
            v.check(
                    pattern(r.name()).matcher(r.id()).matches(),
                    field + ".id",
                    "is not " + article(r.name()) + " " + r.name() + " accession (" + example(r.name()) + ")");
        }
    }

    private static Pattern pattern(RepositoryName name) {
        return switch (name) {
            case EGA -> EGA;
            case SRA -> SRA;
            case GEO -> GEO;
        };
    }

    private static String example(RepositoryName name) {
        return switch (name) {
            case EGA -> "for example EGAF00001234567";
            case SRA -> "for example SRR1234567";
            case GEO -> "for example GSE12345";
        };
    }

    private static String article(RepositoryName name) {
        return name == RepositoryName.GEO ? "a" : "an";
    }

    private static void sha256(Validator v, String value, String field) {
        if (value == null || value.isEmpty()) {
            v.check(false, field, "is required");
        } else {
            v.check(SHA256.matcher(value).matches(), field, "must be 64 hexadecimal digits");
        }
    }

    private static void fileName(Validator v, String name, String field) {
        if (name == null || name.isBlank()) {
            v.check(false, field, "is required");
            return;
        }
        v.maxLength(name, field, FILE_NAME_MAX);
        boolean clean = name.chars().noneMatch(c -> c < 0x20 || c == 0x7f || c == '/' || c == '\\')
                && !name.equals(".")
                && !name.equals("..");
        v.check(clean, field, "must be a plain file name (no path, no control characters)");
    }

    private static String lower(String s) {
        return s == null ? null : s.toLowerCase(Locale.ROOT);
    }

    /** A stable digest of everything an upload's body says besides the project and the key (which find it). */
    static String fingerprint(Checked u) {
        String canonical = String.join(
                "\n",
                u.kind().name(),
                Long.toString(u.size()),
                u.sha256(),
                u.fileName(),
                u.assembly().reference().name(),
                u.assembly().name(),
                String.valueOf(u.participant()),
                u.repository() == null
                        ? "-"
                        : u.repository().name() + ":" + u.repository().id(),
                u.index() == null
                        ? "-"
                        : u.index().type() + ":" + u.index().size() + ":"
                                + u.index().sha256());
        return sha256Hex(canonical);
    }

    static String sha256Hex(String s) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(md.digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A part number in range, else INVALID naming {@code part}. */
    static void checkPart(int partNumber, int partCount) {
        if (partNumber < 1 || partNumber > partCount) {
            throw KaryoException.invalid(
                    "part", "must be between 1 and " + partCount + " (this upload's part count), not " + partNumber);
        }
    }

    /** A body length equal to the expected one, else INVALID naming {@code Content-Length}. */
    static void checkLength(long length, long expected, String what) {
        if (length < 0) {
            throw new KaryoException(
                    Kind.INVALID,
                    "length-required",
                    "Content-Length is required",
                    List.of(new FieldError("Content-Length", "is required")),
                    null,
                    null);
        }
        if (length != expected) {
            throw KaryoException.invalid(
                    "Content-Length", what + " must be exactly " + expected + " bytes, not " + length);
        }
    }

    /** An upload's state: {@link UploadState#EXPIRED} once a receiving upload passed its expiry. */
    static UploadState state(UploadState stored, Instant expiresAt, Instant now) {
        return stored == UploadState.RECEIVING && !now.isBefore(expiresAt) ? UploadState.EXPIRED : stored;
    }
}
