package org.karyo.storage.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real S3 server for tests: <a href="https://github.com/gaul/s3proxy">s3proxy</a> run as a separate {@code java
 * -jar} process on a free port of 127.0.0.1, with jclouds' {@code filesystem} backend in a temporary folder, random
 * credentials and AWS signature v2/v4 authentication. It is up when {@link #start()} returns and gone after
 * {@link #close()} (a JVM shutdown hook stops it too, so a test JVM never leaves one behind).
 *
 * <p>What s3proxy 2.6.0 ({@code filesystem}, {@code filesystem-nio2}, {@code transient} and {@code transient-nio2}
 * backends alike) does, as checked with the AWS CLI, the MinIO SDK and the Karyo contract suite: buckets, PUT (also
 * with {@code UNSIGNED-PAYLOAD}), GET and ranged GET ({@code 416 InvalidRange} from the end on), HEAD with user
 * metadata, copy onto itself with {@code x-amz-metadata-directive: REPLACE}, ListObjects (v1 with {@code marker}),
 * CreateMultipartUpload, UploadPart (a part sent again replaces it), ListParts, ListMultipartUploads by prefix,
 * CompleteMultipartUpload (with {@code InvalidPart} and {@code EntityTooSmall}), AbortMultipartUpload, presigned GET
 * (with {@code response-content-disposition} and {@code Range}), PUT and UploadPart URLs, and their expiry. Quirks a
 * client must live with:
 *
 * <ul>
 *   <li>ListMultipartUploads answers {@code 501} to {@code max-uploads}, {@code key-marker}, {@code upload-id-marker}
 *       and {@code delimiter} (the MinIO SDK always sends {@code max-uploads}), and reports the time of the listing
 *       as {@code Initiated} (jclouds keeps no start time), so an upload never looks stale;
 *   <li>ListParts leaves out {@code PartNumberMarker}, which the MinIO SDK's parser requires, and lists no parts
 *       (instead of {@code NoSuchUpload}) for an unknown upload;
 *   <li>UploadPart accepts a part for an unknown or aborted upload (and keeps it as a stray blob at the bucket's root);
 *   <li>AbortMultipartUpload answers a bare {@code 400} for an id it cannot parse, {@code 404 NoSuchUpload} for an
 *       unknown one;
 *   <li>ListObjectsV2 refuses {@code start-after} together with a {@code continuation-token} ({@code 400
 *       InvalidArgument}), which the MinIO SDK's iterator sends from its second page on;
 *   <li>GetBucketPolicy answers {@code NoSuchPolicy}; bucket policies are not enforced;
 *   <li>while an upload is in progress its parts appear to ListObjects at the bucket's root as {@code
 *       .mpus-<uploadId>-<key>-<n>} (never under a module's prefix);
 *   <li>newer AWS SDKs' default {@code x-amz-checksum-*} headers get {@code 501 NotImplemented} unless {@code
 *       s3proxy.ignore-unknown-headers} is set, which this server does.
 * </ul>
 *
 * <p>The jar ({@code org.gaul:s3proxy:<version>:jar-with-dependencies}, 41 MB, never put on a test class path: its
 * Jetty would clash) is looked for, in this order:
 *
 * <ol>
 *   <li>the system property {@value #JAR_PROPERTY} (set it in surefire's {@code systemPropertyVariables});
 *   <li>the environment variable {@value #JAR_ENV};
 *   <li>{@code target/s3proxy/s3proxy.jar} under the working folder (where the recommended {@code
 *       maven-dependency-plugin:copy} execution puts it);
 *   <li>the local Maven repository ({@code maven.repo.local}, else {@code ~/.m2/repository}), at the version this jar
 *       was built with.
 * </ol>
 *
 * A module whose tests use it copies the jar in {@code process-test-resources}:
 *
 * <pre>{@code
 * <plugin><artifactId>maven-dependency-plugin</artifactId>
 *   <executions><execution><id>s3proxy</id><phase>process-test-resources</phase><goals><goal>copy</goal></goals>
 *     <configuration>
 *       <artifactItems><artifactItem><groupId>org.gaul</groupId><artifactId>s3proxy</artifactId>
 *         <version>${s3proxy.version}</version><classifier>jar-with-dependencies</classifier>
 *         <destFileName>s3proxy.jar</destFileName></artifactItem></artifactItems>
 *       <outputDirectory>${project.build.directory}/s3proxy</outputDirectory>
 *     </configuration></execution></executions></plugin>
 * <plugin><artifactId>maven-surefire-plugin</artifactId>
 *   <configuration><systemPropertyVariables>
 *     <karyo.s3proxy.jar>${project.build.directory}/s3proxy/s3proxy.jar</karyo.s3proxy.jar>
 *   </systemPropertyVariables></configuration></plugin>
 * }</pre>
 *
 * <p>Use one server per test class ({@code try (S3Server s3 = S3Server.start())} in {@code @BeforeAll}/{@code
 * @AfterAll}) or the JVM-wide {@link #shared()} one; buckets are created by the client under test (it starts with
 * none). Its log is {@link #log()}; a failed start throws with its last lines.
 */
public final class S3Server implements AutoCloseable {

    /** System property naming the s3proxy jar. */
    public static final String JAR_PROPERTY = "karyo.s3proxy.jar";

    /** Environment variable naming the s3proxy jar. */
    public static final String JAR_ENV = "KARYO_S3PROXY_JAR";

    /** The region clients should sign for (s3proxy accepts any). */
    public static final String REGION = "us-east-1";

    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static S3Server shared;

    private final Process process;
    private final Path folder;
    private final URI endpoint;
    private final String accessKey;
    private final String secretKey;
    private final Thread hook;

    private S3Server(Process process, Path folder, URI endpoint, String accessKey, String secretKey) {
        this.process = process;
        this.folder = folder;
        this.endpoint = endpoint;
        this.accessKey = accessKey;
        this.secretKey = secretKey;
        this.hook = new Thread(this::stop, "s3proxy-stop");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** Starts a new server and waits until it answers HTTP. */
    public static S3Server start() {
        return start("filesystem");
    }

    /**
     * Starts a new server with the given jclouds provider ({@code filesystem}, {@code filesystem-nio2}, {@code
     * transient}, {@code transient-nio2}) and waits until it answers HTTP.
     */
    public static S3Server start(String provider) {
        Path jar = locateJar();
        Path folder;
        try {
            folder = Files.createTempDirectory("karyo-s3proxy-");
            Files.createDirectories(folder.resolve("data"));
        } catch (IOException e) {
            throw new UncheckedIOException("Could not create the s3proxy folder", e);
        }
        int port = freePort();
        URI endpoint = URI.create("http://127.0.0.1:" + port);
        String accessKey = "karyo-" + hex(6);
        String secretKey = hex(20);
        Properties conf = new Properties();
        conf.setProperty("s3proxy.endpoint", endpoint.toString());
        conf.setProperty("s3proxy.authorization", "aws-v2-or-v4");
        conf.setProperty("s3proxy.identity", accessKey);
        conf.setProperty("s3proxy.credential", secretKey);
        conf.setProperty("s3proxy.ignore-unknown-headers", "true");
        conf.setProperty("jclouds.provider", provider);
        // the nio2 providers insist on jclouds credentials of their own
        conf.setProperty("jclouds.identity", accessKey);
        conf.setProperty("jclouds.credential", secretKey);
        conf.setProperty("jclouds.filesystem.basedir", folder.resolve("data").toString());
        conf.setProperty(
                "jclouds.filesystem-nio2.basedir", folder.resolve("data").toString());
        Path confFile = folder.resolve("s3proxy.conf");
        Path log = folder.resolve("s3proxy.log");
        try (var out = Files.newOutputStream(confFile)) {
            conf.store(out, "written by org.karyo.storage.testing.S3Server");
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write " + confFile, e);
        }
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        ProcessBuilder pb = new ProcessBuilder(
                        java.toString(),
                        "-Xmx256m",
                        "-Djava.io.tmpdir=" + folder,
                        "-jar",
                        jar.toString(),
                        "--properties",
                        confFile.toString())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        Process process;
        try {
            process = pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not run " + java + " -jar " + jar, e);
        }
        S3Server server = new S3Server(process, folder, endpoint, accessKey, secretKey);
        try {
            server.awaitUp();
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
        return server;
    }

    /** One server for the whole test JVM, started on first use and stopped when the JVM exits. */
    public static synchronized S3Server shared() {
        if (shared == null || !shared.process.isAlive()) {
            shared = start();
        }
        return shared;
    }

    /** The endpoint, {@code http://127.0.0.1:<port>} (path-style bucket addressing). */
    public URI endpoint() {
        return endpoint;
    }

    /** The access key clients sign with. */
    public String accessKey() {
        return accessKey;
    }

    /** The secret key clients sign with. */
    public String secretKey() {
        return secretKey;
    }

    /** The folder that holds the buckets (one sub-folder per bucket). */
    public Path dataFolder() {
        return folder.resolve("data");
    }

    /** The server's log file. */
    public Path log() {
        return folder.resolve("s3proxy.log");
    }

    /** Whether the process is still running. */
    public boolean alive() {
        return process.isAlive();
    }

    /** Stops the server and removes its folder. */
    @Override
    public void close() {
        stop();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is shutting down: the hook runs anyway
        }
    }

    private void stop() {
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        deleteTree(folder);
    }

    private void awaitUp() {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("s3proxy exited with " + process.exitValue()
                        + " while starting; its log ends with:\n" + tail());
            }
            if (answers()) {
                return;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for s3proxy", e);
            }
        }
        throw new IllegalStateException("s3proxy did not answer on " + endpoint + " within " + START_TIMEOUT
                + "; its log ends with:\n" + tail());
    }

    /** Whether the server answers an HTTP request (any status: an anonymous request is refused with 403). */
    private boolean answers() {
        try {
            HttpURLConnection c = (HttpURLConnection) endpoint.toURL().openConnection();
            c.setConnectTimeout(500);
            c.setReadTimeout(2000);
            try {
                return c.getResponseCode() > 0;
            } finally {
                c.disconnect();
            }
        } catch (IOException e) {
            return false;
        }
    }

    private String tail() {
        try {
            List<String> lines = Files.readAllLines(log(), StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    static Path locateJar() {
        List<Path> tried = new ArrayList<>();
        String property = System.getProperty(JAR_PROPERTY);
        if (isSet(property)) {
            Path p = Path.of(property);
            if (Files.isRegularFile(p)) {
                return p;
            }
            tried.add(p);
        }
        String env = System.getenv(JAR_ENV);
        if (isSet(env)) {
            Path p = Path.of(env);
            if (Files.isRegularFile(p)) {
                return p;
            }
            tried.add(p);
        }
        Path copied = Path.of("target", "s3proxy", "s3proxy.jar").toAbsolutePath();
        if (Files.isRegularFile(copied)) {
            return copied;
        }
        tried.add(copied);
        String version = builtWithVersion();
        String repo = System.getProperty("maven.repo.local");
        Path repository = isSet(repo) ? Path.of(repo) : Path.of(System.getProperty("user.home"), ".m2", "repository");
        Path inRepo = repository.resolve(
                Path.of("org", "gaul", "s3proxy", version, "s3proxy-" + version + "-jar-with-dependencies.jar"));
        if (Files.isRegularFile(inRepo)) {
            return inRepo;
        }
        tried.add(inRepo);
        throw new IllegalStateException("No s3proxy jar found (tried " + tried + "). Copy"
                + " org.gaul:s3proxy:" + version + ":jar-with-dependencies with maven-dependency-plugin:copy and set"
                + " the system property " + JAR_PROPERTY + " (see the javadoc of " + S3Server.class.getName() + ")");
    }

    private static String builtWithVersion() {
        Properties p = new Properties();
        try (InputStream in = S3Server.class.getResourceAsStream("s3proxy.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            // fall through to the default
        }
        String v = p.getProperty("s3proxy.version");
        return isSet(v) ? v.trim() : "2.6.0";
    }

    /** Surefire passes an unset Maven property as the literal {@code ${...}}. */
    private static boolean isSet(String v) {
        return v != null && !v.isBlank() && !v.startsWith("${");
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("No free port for s3proxy", e);
        }
    }

    private static String hex(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    // best effort: a temporary folder
                }
            });
        } catch (IOException | UncheckedIOException e) {
            // best effort
        }
    }
}
