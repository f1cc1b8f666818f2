package org.karyo.storage.fs.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.commons.io.input.BoundedInputStream;
import org.karyo.api.EnvOverrides;
import org.karyo.api.KaryoException;
import org.karyo.storage.api.Leftovers;
import org.karyo.storage.api.MultipartUpload;
import org.karyo.storage.api.ObjectInfo;
import org.karyo.storage.api.ObjectKeys;
import org.karyo.storage.api.ObjectStore;
import org.karyo.storage.api.PartInfo;
import org.karyo.storage.api.PendingUpload;
import org.karyo.storage.api.PutOptions;
import org.karyo.storage.api.StoreDescription;
import org.karyo.storage.api.StreamDigests;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded {@link ObjectStore}: one folder on a local (or shared) disk, always registered with {@code
 * service.ranking} 0, so that a configured MinIO store (ranking 100) wins when there is one.
 *
 * <p>Layout under the root folder: {@code objects/<key>} holds each object at its key's path, next to a hidden
 * sidecar {@code .<name>.meta} (SHA-256, MD5, content type, and the identity of the data file it describes, so that a
 * sidecar left over by a crash is never believed); {@code uploads/<uploadId>/} holds a multipart upload's description
 * and its parts; {@code tmp/} holds files being written. Every write goes to a temporary file that is fsynced and then
 * renamed into place atomically, so a reader sees the old object or the new one, never half of one. The digests are
 * computed as the bytes pass. A key cannot be both an object and a folder of objects ({@code a} and {@code a/b}):
 * S3 allows it, a file system does not, so the second write is a {@code CONFLICT}.
 *
 * <p>Presigned URLs point at Karyo itself ({@link PresignedResource}) and are HMAC-signed ({@link Presigner}).
 */
@Component(
        service = {ObjectStore.class, FsObjectStore.class},
        configurationPid = FsObjectStore.PID,
        property = {"service.ranking:Integer=0", ObjectStore.TYPE + "=" + FsObjectStore.TYPE})
@Designate(ocd = FsObjectStore.Config.class)
public final class FsObjectStore implements ObjectStore {

    static final String PID = "org.karyo.storage.fs";
    static final String TYPE = "filesystem";
    static final long MIN_PART = 5L * 1024 * 1024;
    static final int MAX_PARTS = 10_000;
    static final Duration TMP_MAX_AGE = Duration.ofDays(1);

    private static final Logger LOG = LoggerFactory.getLogger(FsObjectStore.class);
    private static final int BUFFER = 256 * 1024;
    private static final Pattern UPLOAD_ID =
            Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static final Pattern PART_FILE = Pattern.compile("part-(\\d{5})-([0-9a-f]{32})");
    private static final String UPLOAD_FILE = "upload.properties";
    private static final String OCTET_STREAM = "application/octet-stream";

    /** Configuration of the filesystem store (PID {@value #PID}); environment variables win. */
    @ObjectClassDefinition(
            name = "Karyo filesystem object store",
            description = "The embedded object store: one folder, with presigned URLs that Karyo serves itself")
    public @interface Config {
        @AttributeDefinition(
                description = "The store's folder; empty: ${karaf.base}/var/storage (outside data/, which"
                        + " 'bin/karaf clean' wipes). Back it up with the database. Env KARYO_STORAGE_DIR")
        String root() default "";

        @AttributeDefinition(
                name = "Public URL",
                description =
                        "Where clients reach Karyo, the base of presigned URLs (https://karyo.example.org)."
                                + " Env KARYO_PUBLIC_URL; empty: http://localhost and the platform's HTTP port (KARYO_HTTP_PORT)")
        String public_url() default "";
    }

    private final Path root;
    private final Path objects;
    private final Path uploads;
    private final Path tmp;
    private final URI publicUrl;
    private final Presigner presigner;
    private final Clock clock;
    /** The entries of {@code tmp/} that writes in progress use, and when each write started. */
    private final Map<Path, Instant> writing = new ConcurrentHashMap<>();

    /** Constructed by SCR. */
    @Activate
    public FsObjectStore(Config config, BundleContext context) {
        this(
                FsSettings.resolve(config, EnvOverrides.system(), context.getProperty("karaf.base")),
                EnvOverrides.system(),
                Clock.systemUTC());
        LOG.info("Filesystem object store active in {} (presigned URLs under {})", root, publicUrl);
    }

    FsObjectStore(FsSettings settings, EnvOverrides env, Clock clock) {
        this(
                settings,
                env,
                clock,
                Instant.ofEpochMilli(ManagementFactory.getRuntimeMXBean().getStartTime()));
    }

    /**
     * @param processStart when this process started: an entry of {@code tmp/} last changed before it belongs to no
     *     write of this process (a write that a stop or a {@code kill -9} cut), and is removed now
     */
    FsObjectStore(FsSettings settings, EnvOverrides env, Clock clock, Instant processStart) {
        this.root = settings.root();
        this.objects = root.resolve("objects");
        this.uploads = root.resolve("uploads");
        this.tmp = root.resolve("tmp");
        this.publicUrl = settings.publicUrl();
        this.clock = clock;
        try {
            createPrivateFolder(root);
            Files.createDirectories(objects);
            Files.createDirectories(uploads);
            Files.createDirectories(tmp);
            this.presigner = new Presigner(SigningKeys.load(env, root), publicUrl, clock);
        } catch (IOException e) {
            throw new UncheckedIOException(PID + ": the folder " + root + " cannot be used", e);
        }
        Instant staleBefore = clock.instant().minus(TMP_MAX_AGE);
        Leftovers removed = removeLeftovers(processStart.isAfter(staleBefore) ? processStart : staleBefore, false);
        if (removed.files() > 0) {
            LOG.info(
                    "Filesystem object store: removed {} temporary file(s) ({} bytes) left by unfinished writes",
                    removed.files(),
                    removed.bytes());
        }
    }

    @Override
    public StoreDescription describe() {
        return new StoreDescription(TYPE, root.toString(), root.getFileName().toString(), publicUrl.toString());
    }

    // --- objects

    @Override
    public ObjectInfo put(String key, InputStream data, long length, PutOptions options) {
        ObjectKeys.check(key);
        Objects.requireNonNull(data, "data");
        checkLength(length);
        PutOptions o = options == null ? PutOptions.DEFAULT : options;
        Path temp = null;
        try {
            temp = newTemp("put-");
            StreamDigests d = write(data, length, temp);
            if (o.sha256() != null && !o.sha256().equals(d.sha256())) {
                throw Failures.checksumMismatch();
            }
            return publish(key, temp, d, o.contentType());
        } catch (IOException e) {
            throw Failures.unavailable("put", e);
        } finally {
            deleteQuietly(temp);
        }
    }

    @Override
    public Optional<ObjectInfo> stat(String key) {
        ObjectKeys.check(key);
        Path file = objectPath(key);
        try {
            BasicFileAttributes a = attributes(file);
            if (a == null || !a.isRegularFile()) {
                return Optional.empty();
            }
            Meta meta = readMeta(file, a);
            if (meta == null) {
                meta = repair(file);
                if (meta == null) {
                    return Optional.empty();
                }
                a = attributes(file);
                if (a == null) {
                    return Optional.empty();
                }
            }
            return Optional.of(info(key, a, meta));
        } catch (IOException e) {
            throw Failures.unavailable("stat", e);
        }
    }

    @Override
    public InputStream get(String key) {
        return get(key, 0, -1);
    }

    @Override
    public InputStream get(String key, long offset, long length) {
        ObjectKeys.check(key);
        if (offset < 0) {
            throw KaryoException.invalid("offset", "must not be negative");
        }
        Path file = objectPath(key);
        FileChannel channel = null;
        try {
            BasicFileAttributes a = attributes(file);
            if (a == null || !a.isRegularFile()) {
                throw Failures.objectNotFound(key);
            }
            channel = FileChannel.open(file, StandardOpenOption.READ);
            long size = channel.size();
            if (offset > 0 && offset >= size) {
                throw Failures.rangeNotSatisfiable(offset, size);
            }
            if (length == 0) {
                channel.close();
                return InputStream.nullInputStream();
            }
            channel.position(offset);
            InputStream in = Channels.newInputStream(channel);
            channel = null;
            return length < 0
                    ? in
                    : BoundedInputStream.builder()
                            .setInputStream(in)
                            .setMaxCount(length)
                            .get();
        } catch (NoSuchFileException e) {
            throw Failures.objectNotFound(key);
        } catch (IOException e) {
            throw Failures.unavailable("get", e);
        } finally {
            if (channel != null) {
                try {
                    channel.close();
                } catch (IOException e) {
                    // nothing was read
                }
            }
        }
    }

    @Override
    public void delete(String key) {
        ObjectKeys.check(key);
        Path file = objectPath(key);
        try {
            BasicFileAttributes a = attributes(file);
            if (a == null || !a.isRegularFile()) {
                return;
            }
            Files.deleteIfExists(file);
            Files.deleteIfExists(sidecar(file));
            pruneEmptyFolders(file.getParent(), objects);
        } catch (IOException e) {
            throw Failures.unavailable("delete", e);
        }
    }

    @Override
    public List<ObjectInfo> list(String prefix, String startAfter, int max) {
        String p = ObjectKeys.checkPrefix(prefix);
        if (max < 1) {
            throw KaryoException.invalid("max", "must be at least 1");
        }
        String folderKey = p.substring(0, p.lastIndexOf('/') + 1);
        Path folder = folderKey.isEmpty() ? objects : objects.resolve(folderKey);
        List<ObjectInfo> found = new ArrayList<>();
        try {
            BasicFileAttributes a = attributes(folder);
            if (a != null && a.isDirectory()) {
                walk(folder, folderKey, p, startAfter, max, found);
            }
        } catch (IOException e) {
            throw Failures.unavailable("list", e);
        }
        return found;
    }

    /** Lists {@code folder} in key order (a folder sorts as its name followed by {@code /}), pruning what cannot match. */
    private void walk(Path folder, String folderKey, String prefix, String startAfter, int max, List<ObjectInfo> found)
            throws IOException {
        List<String[]> entries = new ArrayList<>(); // {sort key, name, "d" or "f"}
        try (DirectoryStream<Path> children = Files.newDirectoryStream(folder)) {
            for (Path child : children) {
                String name = child.getFileName().toString();
                if (name.startsWith(".")) {
                    continue;
                }
                BasicFileAttributes a = attributes(child);
                if (a == null) {
                    continue;
                }
                if (a.isDirectory()) {
                    entries.add(new String[] {name + "/", name, "d"});
                } else if (a.isRegularFile()) {
                    entries.add(new String[] {name, name, "f"});
                }
            }
        } catch (NoSuchFileException e) {
            return; // removed meanwhile
        }
        entries.sort(Comparator.comparing(e -> e[0]));
        for (String[] e : entries) {
            String k = folderKey + e[0];
            if (e[2].equals("d")) {
                if (!(k.startsWith(prefix) || prefix.startsWith(k))) {
                    continue;
                }
                if (startAfter != null && k.compareTo(startAfter) < 0 && !startAfter.startsWith(k)) {
                    continue; // every key in this folder sorts before startAfter
                }
                walk(folder.resolve(e[1]), k, prefix, startAfter, max, found);
            } else {
                if (!k.startsWith(prefix) || (startAfter != null && k.compareTo(startAfter) <= 0)) {
                    continue;
                }
                Path file = folder.resolve(e[1]);
                BasicFileAttributes a = attributes(file);
                if (a != null && a.isRegularFile()) {
                    Meta meta = readMeta(file, a);
                    found.add(
                            meta != null
                                    ? info(k, a, meta)
                                    : new ObjectInfo(
                                            k,
                                            a.size(),
                                            fallbackEtag(a),
                                            a.lastModifiedTime().toInstant(),
                                            null,
                                            null));
                }
            }
            if (found.size() >= max) {
                return;
            }
        }
    }

    // --- multipart

    @Override
    public MultipartUpload startMultipart(String key, PutOptions options) {
        ObjectKeys.check(key);
        PutOptions o = options == null ? PutOptions.DEFAULT : options;
        String id = UUID.randomUUID().toString();
        Properties p = new Properties();
        p.setProperty("key", key);
        if (o.contentType() != null) {
            p.setProperty("contentType", o.contentType());
        }
        if (o.sha256() != null) {
            p.setProperty("sha256", o.sha256());
        }
        p.setProperty("initiated", Long.toString(clock.millis()));
        try {
            Path staging = tmp.resolve("upload-" + id);
            writing.put(staging, clock.instant());
            try {
                Files.createDirectory(staging);
                writeProperties(staging.resolve(UPLOAD_FILE), p);
                Files.move(staging, uploads.resolve(id), StandardCopyOption.ATOMIC_MOVE);
            } finally {
                writing.remove(staging);
            }
            fsync(uploads);
        } catch (IOException e) {
            throw Failures.unavailable("start a multipart upload", e);
        }
        return new MultipartUpload(key, id);
    }

    @Override
    public PartInfo putPart(MultipartUpload upload, int partNumber, InputStream data, long length) {
        checkPartNumber(partNumber);
        Objects.requireNonNull(data, "data");
        checkLength(length);
        Upload u = open(upload);
        Path temp = null;
        try {
            temp = newTemp("part-");
            StreamDigests d = write(data, length, temp);
            String name = String.format("part-%05d-%s", partNumber, d.md5());
            Path target = u.folder().resolve(name);
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (NoSuchFileException e) {
                throw Failures.uploadNotFound(upload.uploadId()); // aborted meanwhile
            }
            // the part sent again replaces the one received before
            for (PartFile old : partFiles(u.folder())) {
                if (old.number() == partNumber && !old.file().equals(target)) {
                    Files.deleteIfExists(old.file());
                }
            }
            fsync(u.folder());
            BasicFileAttributes a = Files.readAttributes(target, BasicFileAttributes.class);
            return new PartInfo(
                    partNumber, d.md5(), a.size(), a.lastModifiedTime().toInstant());
        } catch (IOException e) {
            throw Failures.unavailable("store a part", e);
        } finally {
            deleteQuietly(temp);
        }
    }

    @Override
    public List<PartInfo> listParts(MultipartUpload upload) {
        Upload u = open(upload);
        try {
            return received(u).values().stream()
                    .sorted(Comparator.comparingInt(PartFile::number))
                    .map(PartFile::info)
                    .toList();
        } catch (NoSuchFileException e) {
            throw Failures.uploadNotFound(upload.uploadId());
        } catch (IOException e) {
            throw Failures.unavailable("list parts", e);
        }
    }

    @Override
    public ObjectInfo completeMultipart(MultipartUpload upload, List<PartInfo> parts) {
        if (parts == null || parts.isEmpty()) {
            throw KaryoException.invalid("parts", "must name at least one part");
        }
        Upload u = open(upload);
        Path temp = null;
        try {
            Map<Integer, PartFile> received = received(u);
            List<PartFile> chosen = new ArrayList<>();
            int previous = 0;
            for (int i = 0; i < parts.size(); i++) {
                PartInfo p = parts.get(i);
                if (p.partNumber() <= previous) {
                    throw KaryoException.invalid("parts", "must be in increasing part-number order, each once");
                }
                previous = p.partNumber();
                PartFile f = received.get(p.partNumber());
                if (f == null || p.etag() == null || !f.etag().equals(unquote(p.etag()))) {
                    throw KaryoException.invalid(
                            "parts", "part " + p.partNumber() + " was not received, or its etag differs");
                }
                if (i < parts.size() - 1 && f.size() < MIN_PART) {
                    throw KaryoException.invalid(
                            "parts", "part " + p.partNumber() + " is smaller than 5 MiB; only the last part may be");
                }
                chosen.add(f);
            }
            temp = newTemp("complete-");
            StreamDigests d = new StreamDigests();
            try (FileChannel out = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                byte[] buffer = new byte[BUFFER];
                for (PartFile f : chosen) {
                    try (InputStream in = Files.newInputStream(f.file())) {
                        for (int n; (n = in.read(buffer)) >= 0; ) {
                            d.update(buffer, 0, n);
                            writeFully(out, buffer, n);
                        }
                    }
                }
                out.force(true);
            }
            if (u.sha256() != null && !u.sha256().equals(d.sha256())) {
                removeUpload(u.folder(), u.id());
                throw Failures.checksumMismatch();
            }
            ObjectInfo info = publish(u.key(), temp, d, u.contentType());
            removeUpload(u.folder(), u.id());
            return info;
        } catch (NoSuchFileException e) {
            throw Failures.uploadNotFound(upload.uploadId());
        } catch (IOException e) {
            throw Failures.unavailable("complete a multipart upload", e);
        } finally {
            deleteQuietly(temp);
        }
    }

    @Override
    public void abortMultipart(MultipartUpload upload) {
        Objects.requireNonNull(upload, "upload");
        if (upload.uploadId() == null || !UPLOAD_ID.matcher(upload.uploadId()).matches()) {
            return;
        }
        Path folder = uploads.resolve(upload.uploadId());
        try {
            Properties p = readProperties(folder.resolve(UPLOAD_FILE));
            if (p == null || !Objects.equals(p.getProperty("key"), upload.key())) {
                return;
            }
            removeUpload(folder, upload.uploadId());
        } catch (IOException e) {
            throw Failures.unavailable("abort a multipart upload", e);
        }
    }

    @Override
    public List<PendingUpload> listMultipartUploads(String prefix) {
        String p = ObjectKeys.checkPrefix(prefix);
        List<PendingUpload> found = new ArrayList<>();
        try (DirectoryStream<Path> folders = Files.newDirectoryStream(uploads)) {
            for (Path folder : folders) {
                String id = folder.getFileName().toString();
                if (!UPLOAD_ID.matcher(id).matches()) {
                    continue;
                }
                Properties props = readProperties(folder.resolve(UPLOAD_FILE));
                if (props == null) {
                    continue;
                }
                String key = props.getProperty("key", "");
                if (key.startsWith(p)) {
                    found.add(new PendingUpload(new MultipartUpload(key, id), initiated(props)));
                }
            }
        } catch (IOException e) {
            throw Failures.unavailable("list multipart uploads", e);
        }
        found.sort(Comparator.comparing((PendingUpload u) -> u.upload().key())
                .thenComparing(PendingUpload::initiated)
                .thenComparing(u -> u.upload().uploadId()));
        return found;
    }

    // --- presigned URLs

    @Override
    public URI presignGet(String key, Duration expiry, String downloadName) {
        ObjectKeys.check(key);
        return presigner.get(key, expiry, downloadName);
    }

    @Override
    public URI presignPut(String key, Duration expiry) {
        ObjectKeys.check(key);
        return presigner.put(key, expiry);
    }

    @Override
    public URI presignPart(MultipartUpload upload, int partNumber, long length, Duration expiry) {
        checkPartNumber(partNumber);
        Upload u = open(upload);
        return presigner.part(u.key(), u.id(), partNumber, length, expiry);
    }

    /**
     * Checks a presigned request that {@link PresignedResource} received.
     *
     * @throws KaryoException FORBIDDEN when it is not signed by this store, or expired
     */
    void verify(
            String method,
            String key,
            String uploadId,
            String partNumber,
            String length,
            String downloadName,
            String expires,
            String signature) {
        presigner.verify(method, key, uploadId, partNumber, length, downloadName, expires, signature);
    }

    /** The media type stored with an object, {@code application/octet-stream} when none was given. */
    String contentType(String key) {
        Path file = objectPath(key);
        try {
            BasicFileAttributes a = attributes(file);
            Meta meta = a == null ? null : readMeta(file, a);
            return meta == null || meta.contentType() == null ? OCTET_STREAM : meta.contentType();
        } catch (IOException e) {
            return OCTET_STREAM;
        }
    }

    // --- internals

    private Path objectPath(String key) {
        Path p = objects.resolve(key).normalize();
        if (!p.startsWith(objects)) {
            throw KaryoException.invalid("key", "must stay inside the store"); // ObjectKeys.check already refuses this
        }
        return p;
    }

    private static Path sidecar(Path file) {
        return file.resolveSibling("." + file.getFileName() + ".meta");
    }

    /** The data, copied to {@code temp} and fsynced, with its digests; INVALID when it is not {@code length} long. */
    private static StreamDigests write(InputStream data, long length, Path temp) throws IOException {
        StreamDigests d = new StreamDigests();
        try (FileChannel out = FileChannel.open(temp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            byte[] buffer = new byte[BUFFER];
            long limit = length < 0 ? Long.MAX_VALUE : length;
            while (d.count() < limit) {
                int want = (int) Math.min(buffer.length, limit - d.count());
                int n;
                try {
                    n = data.read(buffer, 0, want);
                } catch (IOException e) {
                    throw KaryoException.invalid("data", "could not be read to its end");
                }
                if (n < 0) {
                    break;
                }
                d.update(buffer, 0, n);
                writeFully(out, buffer, n);
            }
            if (length >= 0 && d.count() != length) {
                throw KaryoException.invalid(
                        "length", "the data ended after " + d.count() + " bytes, not the " + length + " declared");
            }
            out.force(true);
        }
        return d;
    }

    private static void writeFully(FileChannel out, byte[] buffer, int n) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(buffer, 0, n);
        while (b.hasRemaining()) {
            out.write(b);
        }
    }

    /** Moves a written temporary file to the object's path and writes its sidecar. */
    private ObjectInfo publish(String key, Path temp, StreamDigests d, String contentType) throws IOException {
        Path target = objectPath(key);
        Object fileKey = Files.readAttributes(temp, BasicFileAttributes.class).fileKey();
        for (int attempt = 0; ; attempt++) {
            try {
                createParents(key, target);
                BasicFileAttributes existing = attributes(target);
                if (existing != null && existing.isDirectory()) {
                    throw KaryoException.conflict("The key " + key + " is the folder of other objects");
                }
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                break;
            } catch (NoSuchFileException e) {
                if (attempt >= 20 || !Files.exists(temp)) {
                    throw e;
                }
                // a delete removed an emptied folder on the way: create it again
            }
        }
        Meta meta = new Meta(d.sha256(), d.md5(), contentType, d.count(), String.valueOf(fileKey));
        writeMeta(target, meta);
        fsync(target.getParent());
        BasicFileAttributes a = Files.readAttributes(target, BasicFileAttributes.class);
        return new ObjectInfo(key, d.count(), d.md5(), a.lastModifiedTime().toInstant(), d.sha256(), d.md5());
    }

    private void createParents(String key, Path target) throws IOException {
        try {
            Files.createDirectories(target.getParent());
        } catch (FileAlreadyExistsException e) {
            if (blockedByFile(target)) {
                throw KaryoException.conflict("A prefix of the key " + key + " is an object");
            }
            // a delete removed the folder between its creation and the check: try again
            throw new NoSuchFileException(target.getParent().toString());
        }
    }

    private Meta readMeta(Path file, BasicFileAttributes a) throws IOException {
        Properties p = readProperties(sidecar(file));
        if (p == null) {
            return null;
        }
        Meta m = Meta.of(p);
        if (m == null || m.size() != a.size() || !m.fileKey().equals(String.valueOf(a.fileKey()))) {
            return null; // describes another version of the file (a write was interrupted)
        }
        return m;
    }

    /** Recomputes a missing or stale sidecar (after a crash between the two renames of a write). */
    private Meta repair(Path file) throws IOException {
        StreamDigests d = new StreamDigests();
        BasicFileAttributes before;
        try (InputStream in = Files.newInputStream(file)) {
            before = Files.readAttributes(file, BasicFileAttributes.class);
            byte[] buffer = new byte[BUFFER];
            for (int n; (n = in.read(buffer)) >= 0; ) {
                d.update(buffer, 0, n);
            }
        } catch (NoSuchFileException e) {
            return null;
        }
        Meta meta = new Meta(d.sha256(), d.md5(), null, d.count(), String.valueOf(before.fileKey()));
        BasicFileAttributes now = attributes(file);
        if (now != null && String.valueOf(now.fileKey()).equals(meta.fileKey()) && now.size() == d.count()) {
            writeMeta(file, meta);
            LOG.info("Filesystem object store: recomputed the digests of an object whose write was interrupted");
        }
        return meta;
    }

    private void writeMeta(Path file, Meta meta) throws IOException {
        writeProperties(sidecar(file), meta.properties());
    }

    /** Writes a small properties file atomically (temporary file, fsync, rename). */
    private void writeProperties(Path target, Properties p) throws IOException {
        Path temp = newTemp("meta-");
        try {
            try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE);
                    OutputStream out = Channels.newOutputStream(ch)) {
                p.store(out, null);
                out.flush();
                ch.force(true);
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            deleteQuietly(temp);
        }
    }

    private static Properties readProperties(Path file) throws IOException {
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            p.load(in);
            return p;
        } catch (NoSuchFileException e) {
            return null;
        } catch (IllegalArgumentException e) {
            return null; // damaged
        }
    }

    private ObjectInfo info(String key, BasicFileAttributes a, Meta meta) {
        return new ObjectInfo(key, a.size(), meta.md5(), a.lastModifiedTime().toInstant(), meta.sha256(), meta.md5());
    }

    private static String fallbackEtag(BasicFileAttributes a) {
        return Long.toHexString(a.size()) + "-"
                + Long.toHexString(a.lastModifiedTime().toMillis());
    }

    /** The file's attributes (not following links), or {@code null} when there is no such file. */
    private BasicFileAttributes attributes(Path p) throws IOException {
        try {
            return Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return null;
        } catch (AccessDeniedException e) {
            throw e;
        } catch (IOException e) {
            if (blockedByFile(p)) {
                return null; // a prefix of the key is an object: no such object
            }
            throw e;
        }
    }

    /** Whether a folder on the way from the store's root to {@code p} is in fact a file. */
    private boolean blockedByFile(Path p) {
        for (Path q = p.getParent(); q != null && q.startsWith(root) && !q.equals(root); q = q.getParent()) {
            if (Files.isRegularFile(q, LinkOption.NOFOLLOW_LINKS)) {
                return true;
            }
        }
        return false;
    }

    private record Upload(String id, Path folder, String key, String contentType, String sha256) {}

    private record PartFile(int number, String etag, Path file, long size, Instant modified) {
        PartInfo info() {
            return new PartInfo(number, etag, size, modified);
        }
    }

    /** The upload, when it exists for that key; NOT_FOUND otherwise. */
    private Upload open(MultipartUpload upload) {
        Objects.requireNonNull(upload, "upload");
        ObjectKeys.check(upload.key());
        String id = upload.uploadId();
        if (id == null || !UPLOAD_ID.matcher(id).matches()) {
            throw Failures.uploadNotFound(id);
        }
        Path folder = uploads.resolve(id);
        try {
            Properties p = readProperties(folder.resolve(UPLOAD_FILE));
            if (p == null || !upload.key().equals(p.getProperty("key"))) {
                throw Failures.uploadNotFound(id);
            }
            return new Upload(id, folder, upload.key(), p.getProperty("contentType"), p.getProperty("sha256"));
        } catch (IOException e) {
            throw Failures.unavailable("read a multipart upload", e);
        }
    }

    private static List<PartFile> partFiles(Path folder) throws IOException {
        List<PartFile> parts = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(folder)) {
            for (Path f : files) {
                Matcher m = PART_FILE.matcher(f.getFileName().toString());
                if (!m.matches()) {
                    continue;
                }
                try {
                    BasicFileAttributes a = Files.readAttributes(f, BasicFileAttributes.class);
                    parts.add(new PartFile(
                            Integer.parseInt(m.group(1)),
                            m.group(2),
                            f,
                            a.size(),
                            a.lastModifiedTime().toInstant()));
                } catch (NoSuchFileException e) {
                    // replaced meanwhile
                }
            }
        }
        return parts;
    }

    /** The parts received, by number: the newest file of each number (an older one is a replaced part). */
    private static Map<Integer, PartFile> received(Upload u) throws IOException {
        Map<Integer, PartFile> byNumber = new HashMap<>();
        for (PartFile f : partFiles(u.folder())) {
            byNumber.merge(f.number(), f, (a, b) -> a.modified().isAfter(b.modified()) ? a : b);
        }
        return byNumber;
    }

    private void removeUpload(Path folder, String id) throws IOException {
        Path gone = tmp.resolve("removed-" + id + "-" + UUID.randomUUID());
        writing.put(gone, clock.instant());
        try {
            try {
                Files.move(folder, gone, StandardCopyOption.ATOMIC_MOVE);
            } catch (NoSuchFileException e) {
                return; // removed meanwhile
            }
            deleteTree(gone);
        } finally {
            writing.remove(gone);
        }
    }

    private static Instant initiated(Properties p) {
        try {
            return Instant.ofEpochMilli(Long.parseLong(p.getProperty("initiated", "0")));
        } catch (NumberFormatException e) {
            return Instant.EPOCH;
        }
    }

    /** A new temporary file, registered as in use until {@link #deleteQuietly} (after it was renamed, or not). */
    private Path newTemp(String prefix) throws IOException {
        Instant started = clock.instant();
        Path p = Files.createTempFile(tmp, prefix, ".tmp");
        writing.put(p, started);
        return p;
    }

    private static void checkLength(long length) {
        if (length < -1) {
            throw KaryoException.invalid("length", "must be the exact length, or -1 when unknown");
        }
    }

    static void checkPartNumber(int partNumber) {
        if (partNumber < 1 || partNumber > MAX_PARTS) {
            throw KaryoException.invalid("part_number", "must be between 1 and " + MAX_PARTS);
        }
    }

    private static String unquote(String etag) {
        String e = etag.strip();
        return e.length() >= 2 && e.startsWith("\"") && e.endsWith("\"") ? e.substring(1, e.length() - 1) : e;
    }

    private static void pruneEmptyFolders(Path folder, Path stop) {
        for (Path f = folder; f != null && f.startsWith(stop) && !f.equals(stop); f = f.getParent()) {
            try {
                Files.delete(f);
            } catch (DirectoryNotEmptyException e) {
                return;
            } catch (NoSuchFileException e) {
                // removed meanwhile: go on up
            } catch (IOException e) {
                return;
            }
        }
    }

    private static void fsync(Path folder) {
        try (FileChannel ch = FileChannel.open(folder, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // not every file system lets a folder be synced; the rename itself is atomic
        }
    }

    private static void createPrivateFolder(Path folder) throws IOException {
        if (Files.isDirectory(folder)) {
            return;
        }
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            Files.createDirectories(
                    folder, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } else {
            Files.createDirectories(folder);
        }
    }

    /**
     * Removes the entries of {@code tmp/} (temporary files, staging folders) last changed before {@code before} that
     * no write in progress uses; never one changed after the oldest write in progress started, so a live store keeps
     * whatever a write of another instance of this store (a configuration change in the middle of a write) might
     * still use. Started at activation with the process's start (a {@code kill -9} leaves files no restart would
     * otherwise remove), and by the storage sweeper with its grace period.
     */
    @Override
    public Leftovers removeLeftovers(Instant before, boolean dryRun) {
        Instant cutoff = before;
        for (Instant started : writing.values()) {
            if (started.isBefore(cutoff)) {
                cutoff = started;
            }
        }
        FileTime limit = FileTime.from(cutoff);
        int files = 0;
        long bytes = 0;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(tmp)) {
            for (Path f : entries) {
                if (writing.containsKey(f)) {
                    continue;
                }
                BasicFileAttributes a = attributes(f);
                if (a == null || a.lastModifiedTime().compareTo(limit) >= 0) {
                    continue;
                }
                long size = size(f, a);
                if (!dryRun) {
                    deleteTree(f);
                }
                files++;
                bytes += size;
            }
        } catch (IOException e) {
            throw Failures.unavailable("remove temporary files", e);
        }
        return new Leftovers(files, bytes);
    }

    private static long size(Path f, BasicFileAttributes a) throws IOException {
        if (!a.isDirectory()) {
            return a.size();
        }
        try (Stream<Path> walk = Files.walk(f)) {
            return walk.filter(Files::isRegularFile)
                    .mapToLong(p -> p.toFile().length())
                    .sum();
        }
    }

    private void deleteQuietly(Path p) {
        if (p != null) {
            writing.remove(p);
            try {
                Files.deleteIfExists(p);
            } catch (IOException e) {
                // a temporary file: removed at the next start
            }
        }
    }

    private static void deleteTree(Path top) throws IOException {
        try (Stream<Path> walk = Files.walk(top)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (NoSuchFileException e) {
            // gone already
        }
    }
}
