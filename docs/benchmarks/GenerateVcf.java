import java.io.BufferedOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * Writes a sorted, synthetic multi-sample VCF for the benchmarks: {@code java GenerateVcf.java OUT RECORDS SAMPLES
 * [CONTIGS] [SEED]}. Positions grow by a random step so that records spread over each contig; about 1 % are deletions
 * whose INFO/END reaches further than their REF. With {@code RECORDS} set to 0 and {@code --bytes N}, it writes until
 * the file holds N bytes.
 */
public final class GenerateVcf {
    private static final String[] BASES = {"A", "C", "G", "T"};
    private static final String[] GENOTYPES = {"0/0", "0/1", "1/1", "0|1", "1|0", "./."};

    public static void main(String[] args) throws IOException {
        if (args.length < 3) {
            System.err.println("usage: java GenerateVcf.java OUT RECORDS SAMPLES [CONTIGS] [SEED] [--bytes N]");
            System.exit(2);
        }
        String out = args[0];
        long records = Long.parseLong(args[1]);
        int samples = Integer.parseInt(args[2]);
        int contigs = args.length > 3 && !args[3].startsWith("--") ? Integer.parseInt(args[3]) : 3;
        long seed = args.length > 4 && !args[4].startsWith("--") ? Long.parseLong(args[4]) : 42;
        long bytes = Long.MAX_VALUE;
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals("--bytes")) {
                bytes = Long.parseLong(args[i + 1]);
            }
        }
        if (records == 0) {
            records = Long.MAX_VALUE;
        }
        SplittableRandom random = new SplittableRandom(seed);
        long contigLength = 250_000_000L;
        try (OutputStream os = new BufferedOutputStream(new FileOutputStream(out), 1 << 20)) {
            StringBuilder h = new StringBuilder();
            h.append("##fileformat=VCFv4.2\n");
            h.append("##reference=GRCh38\n");
            for (int c = 1; c <= contigs; c++) {
                h.append("##contig=<ID=chr").append(c).append(",length=").append(contigLength).append(">\n");
            }
            h.append("##INFO=<ID=DP,Number=1,Type=Integer,Description=\"Total depth\">\n");
            h.append("##INFO=<ID=AF,Number=A,Type=Float,Description=\"Allele frequency\">\n");
            h.append("##INFO=<ID=END,Number=1,Type=Integer,Description=\"End position of the variant\">\n");
            h.append("##INFO=<ID=SVTYPE,Number=1,Type=String,Description=\"Type of structural variant\">\n");
            h.append("##FILTER=<ID=q10,Description=\"Quality below 10\">\n");
            h.append("##FORMAT=<ID=GT,Number=1,Type=String,Description=\"Genotype\">\n");
            h.append("##FORMAT=<ID=DP,Number=1,Type=Integer,Description=\"Read depth\">\n");
            h.append("#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT");
            for (int s = 1; s <= samples; s++) {
                h.append("\tS").append(s);
            }
            h.append('\n');
            byte[] header = h.toString().getBytes(StandardCharsets.US_ASCII);
            os.write(header);
            long written = header.length;
            long perContig = records == Long.MAX_VALUE ? Long.MAX_VALUE : (records + contigs - 1) / contigs;
            long step = records == Long.MAX_VALUE ? 200 : Math.max(2, 9 * contigLength / (5 * Math.max(1, perContig)));
            long n = 0;
            StringBuilder line = new StringBuilder(256);
            outer:
            for (int c = 1; c <= contigs; c++) {
                long pos = 1;
                for (long i = 0; i < perContig; i++) {
                    pos += 1 + random.nextLong(step);
                    if (pos >= contigLength || n >= records || written >= bytes) {
                        if (written >= bytes || n >= records) {
                            break outer;
                        }
                        break;
                    }
                    line.setLength(0);
                    String ref = BASES[random.nextInt(4)];
                    boolean sv = random.nextInt(100) == 0;
                    line.append("chr").append(c).append('\t').append(pos).append('\t');
                    line.append("rs").append(n + 1).append('\t').append(ref).append('\t');
                    if (sv) {
                        line.append("<DEL>\t50\tPASS\tSVTYPE=DEL;END=").append(pos + 100 + random.nextInt(5000));
                    } else {
                        line.append(BASES[(random.nextInt(3) + 1 + java.util.Arrays.asList(BASES).indexOf(ref)) % 4]);
                        line.append('\t').append(10 + random.nextInt(90)).append('\t');
                        line.append(random.nextInt(20) == 0 ? "q10" : "PASS").append('\t');
                        line.append("DP=").append(random.nextInt(500)).append(";AF=0.")
                                .append(random.nextInt(1000));
                    }
                    line.append("\tGT:DP");
                    for (int s = 0; s < samples; s++) {
                        line.append('\t').append(GENOTYPES[random.nextInt(GENOTYPES.length)]).append(':')
                                .append(random.nextInt(60));
                    }
                    line.append('\n');
                    byte[] b = line.toString().getBytes(StandardCharsets.US_ASCII);
                    os.write(b);
                    written += b.length;
                    n++;
                }
            }
            System.err.println("wrote " + n + " records, " + written + " bytes to " + out);
        }
    }
}
