import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The reproducibility check: the bundle jars this build made must be byte-for-byte what a second, clean build of the
 * same sources makes.
 *
 * <p>It copies the source tree (everything but {@code target/} folders and {@code .git}) to a folder of its own, builds
 * the bundles there with Maven, offline and without tests ({@code package -Dmaven.test.skip=true}), and compares the
 * SHA-256 of each bundle jar with the jar of the same name among {@code jars}. The copy lives at another path, so a
 * path leaking into a jar is caught too. On a difference it names the jar and the entries that differ, and fails.
 *
 * <p>Run by the build as a single-file program: {@code java ReproducibleBundles.java <source root> <work dir> <maven
 * home> <local repository> <file listing the jars, path-separated>}.
 */
public final class ReproducibleBundles {
    private static final Pattern MODULE = Pattern.compile("<module>([^<]+)</module>");

    public static void main(String[] args) throws Exception {
        if (args.length != 5) {
            throw new IllegalArgumentException(
                    "usage: ReproducibleBundles <source root> <work dir> <maven home> <local repository> <jar list>");
        }
        Path root = Path.of(args[0]).toAbsolutePath().normalize();
        Path work = Path.of(args[1]).toAbsolutePath().normalize();
        Path mavenHome = Path.of(args[2]);
        String localRepository = args[3];
        Map<String, Path> built = new TreeMap<>();
        for (String jar : Files.readString(Path.of(args[4])).trim().split(java.io.File.pathSeparator)) {
            Path p = Path.of(jar);
            if (p.getFileName().toString().endsWith(".jar")) {
                built.put(p.getFileName().toString(), p);
            }
        }

        List<String> bundles = new ArrayList<>();
        Matcher m = MODULE.matcher(Files.readString(root.resolve("pom.xml")));
        while (m.find()) {
            if (m.group(1).startsWith("bundles/")) {
                bundles.add(m.group(1));
            }
        }
        long start = System.nanoTime();
        Path copy = work.resolve("sources");
        delete(work);
        copyTree(root, copy, work);
        build(mavenHome, localRepository, copy, bundles);

        List<String> problems = new ArrayList<>();
        int compared = 0;
        for (String bundle : bundles) {
            Path rebuiltDir = copy.resolve(bundle).resolve("target");
            List<Path> jars;
            try (var files = Files.list(rebuiltDir)) {
                jars = files.filter(f -> f.getFileName().toString().endsWith(".jar"))
                        .toList();
            }
            for (Path rebuilt : jars) {
                Path first = built.get(rebuilt.getFileName().toString());
                if (first == null) {
                    problems.add(rebuilt.getFileName() + ": not among this build's bundle jars (add " + bundle.substring(
                                    "bundles/".length()) + " to the dependencies of bnd/reproducible/pom.xml)");
                    continue;
                }
                compared++;
                String a = sha256(first);
                String b = sha256(rebuilt);
                if (!a.equals(b)) {
                    problems.add(rebuilt.getFileName() + ": SHA-256 " + a + " (" + first + ") then " + b
                            + "; entries that differ: " + differingEntries(first, rebuilt));
                }
            }
        }
        if (compared == 0) {
            problems.add("no bundle jar was compared");
        }
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
        if (!problems.isEmpty()) {
            System.err.println("ReproducibleBundles: a second clean build made different bundle jars:");
            problems.forEach(p -> System.err.println("  " + p));
            System.err.println("Both builds are kept: this build's jars and " + copy + "/bundles/*/target. (A jar taken"
                    + " from the local repository, not from this build, is compared too: build the bundles in the same"
                    + " reactor, e.g. with -am.)");
            System.exit(1);
        }
        System.out.println("ReproducibleBundles: " + compared + " bundle jars are byte-identical in a second clean build ("
                + seconds + " s)");
        delete(work);
    }

    /** Copies the source tree, leaving out build output, version control and the work folder itself. */
    private static void copyTree(Path from, Path to, Path work) throws IOException {
        Files.walkFileTree(from, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                String name = dir.getFileName() == null ? "" : dir.getFileName().toString();
                if (!dir.equals(from) && (name.equals("target") || name.equals(".git") || dir.startsWith(work))) {
                    return FileVisitResult.SKIP_SUBTREE;
                }
                Files.createDirectories(to.resolve(from.relativize(dir).toString()));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                if (attrs.isRegularFile()) {
                    Files.copy(file, to.resolve(from.relativize(file).toString()), StandardCopyOption.COPY_ATTRIBUTES);
                }
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private static void build(Path mavenHome, String localRepository, Path copy, List<String> bundles)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(
                mavenHome.resolve("bin/mvn").toString(),
                "-B",
                "-q",
                "-o",
                "-Dmaven.repo.local=" + localRepository,
                "-Dmaven.test.skip=true",
                // Error Prone is not loaded: its analysis already ran in the first build and changes no byte of the
                // output (javac's other arguments stay those of the first build)
                "-Dkaryo.errorprone.plugin.main=-Xlint:none",
                "-pl",
                String.join(",", bundles),
                "package"));
        ProcessBuilder pb = new ProcessBuilder(command).directory(copy.toFile()).inheritIO();
        pb.environment().remove("MAVEN_ARGS");
        Process p = pb.start();
        if (p.waitFor() != 0) {
            throw new IllegalStateException("the second build failed (exit " + p.exitValue() + "): " + command);
        }
    }

    private static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return HexFormat.of().formatHex(digest(in));
        }
    }

    private static byte[] digest(InputStream in) throws IOException {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                md.update(buffer, 0, n);
            }
            return md.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The names of the entries whose content, time or presence differs between two jars. */
    private static String differingEntries(Path a, Path b) throws IOException {
        Map<String, String> left = entries(a);
        Map<String, String> right = entries(b);
        TreeSet<String> names = new TreeSet<>(left.keySet());
        names.addAll(right.keySet());
        List<String> differing = new ArrayList<>();
        for (String name : names) {
            if (!String.valueOf(left.get(name)).equals(String.valueOf(right.get(name)))) {
                differing.add(name);
            }
        }
        if (differing.isEmpty()) {
            return "none by content and time (the order or the archive's metadata differs)";
        }
        return differing.size() > 10
                ? differing.subList(0, 10) + " and " + (differing.size() - 10) + " more"
                : differing.toString();
    }

    private static Map<String, String> entries(Path jar) throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            for (ZipEntry e : java.util.Collections.list(zip.entries())) {
                try (InputStream in = zip.getInputStream(e)) {
                    out.put(e.getName(), e.getTime() + ":" + HexFormat.of().formatHex(digest(in)));
                }
            }
        }
        return out;
    }

    private static void delete(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var all = Files.walk(dir)) {
            all.sorted(java.util.Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
