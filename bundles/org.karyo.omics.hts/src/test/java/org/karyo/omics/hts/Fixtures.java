package org.karyo.omics.hts;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/** Generated VCF and BED files: random contigs, positions, REF lengths, structural variants with INFO/END. */
final class Fixtures {

    private Fixtures() {}

    record Contig(String name, long length) {}

    static final List<Contig> CONTIGS = List.of(
            new Contig("chr1", 60_000_000),
            new Contig("chr2", 3_000_000),
            new Contig("chr10", 40_000_000),
            new Contig("chrX", 500_000),
            new Contig("chrM", 16_569));

    /** Writes a sorted VCF with {@code n} records spread over {@code contigs}, with {@code samples} samples. */
    static Path vcf(Path file, Random rnd, int n, List<Contig> contigs, int samples) throws IOException {
        return vcf(file, rnd, n, contigs, samples, true);
    }

    /** As {@link #vcf(Path, Random, int, List, int)}; without structural variants when {@code svs} is false. */
    static Path vcf(Path file, Random rnd, int n, List<Contig> contigs, int samples, boolean svs) throws IOException {
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write("##fileformat=VCFv4.2\n");
            w.write("##FILTER=<ID=PASS,Description=\"All filters passed\">\n");
            w.write("##FILTER=<ID=q10,Description=\"Quality below 10\">\n");
            w.write("##INFO=<ID=DP,Number=1,Type=Integer,Description=\"Total depth\">\n");
            w.write("##INFO=<ID=SVTYPE,Number=1,Type=String,Description=\"Type of structural variant\">\n");
            w.write("##INFO=<ID=END,Number=1,Type=Integer,Description=\"End position of the variant\">\n");
            w.write("##INFO=<ID=SVEND,Number=1,Type=Integer,Description=\"A decoy: not END\">\n");
            w.write("##FORMAT=<ID=GT,Number=1,Type=String,Description=\"Genotype\">\n");
            w.write("##FORMAT=<ID=DP,Number=1,Type=Integer,Description=\"Read depth\">\n");
            for (Contig c : contigs) {
                w.write("##contig=<ID=" + c.name() + ",length=" + c.length() + ">\n");
            }
            w.write("##reference=file:///refs/GRCh38.fa\n");
            w.write("#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO");
            if (samples > 0) {
                w.write("\tFORMAT");
                for (int s = 0; s < samples; s++) {
                    w.write("\tS" + (s + 1));
                }
            }
            w.write('\n');
            int[] counts = split(rnd, n, contigs.size());
            String bases = "ACGT";
            StringBuilder sb = new StringBuilder();
            int id = 0;
            for (int ci = 0; ci < contigs.size(); ci++) {
                Contig c = contigs.get(ci);
                long[] pos = positions(rnd, counts[ci], c.length());
                for (long p : pos) {
                    sb.setLength(0);
                    int refLen = rnd.nextInt(10) == 0 ? 1 + rnd.nextInt(40) : 1;
                    sb.append(c.name())
                            .append('\t')
                            .append(p)
                            .append('\t')
                            .append("rs")
                            .append(++id)
                            .append('\t');
                    for (int k = 0; k < refLen; k++) {
                        sb.append(bases.charAt(rnd.nextInt(4)));
                    }
                    String info;
                    String alt;
                    int kind = svs ? rnd.nextInt(40) : 40;
                    if (kind == 0) {
                        long len = 1 + (long) (Math.pow(rnd.nextDouble(), 3) * 3_000_000);
                        alt = "<DEL>";
                        info = "SVTYPE=DEL;END=" + (p + len);
                    } else if (kind == 1) {
                        alt = "<DUP>";
                        info = "DP=" + rnd.nextInt(90) + ";END=" + (p + 1 + rnd.nextInt(200_000));
                    } else if (kind == 2) {
                        alt = "<INV>";
                        info = "SVEND=5;END=" + (p + rnd.nextInt(50_000));
                    } else if (kind == 3) {
                        alt = "<INS>";
                        info = "END=" + Math.max(1, p - 5); // END before POS: tabix ignores it
                    } else if (kind == 4) {
                        alt = "T";
                        info = "END=.";
                    } else {
                        alt = String.valueOf(bases.charAt(rnd.nextInt(4)));
                        info = rnd.nextBoolean() ? "DP=" + rnd.nextInt(90) : ".";
                    }
                    sb.append('\t')
                            .append(alt)
                            .append('\t')
                            .append(rnd.nextInt(100))
                            .append('\t');
                    sb.append(rnd.nextInt(8) == 0 ? "q10" : "PASS").append('\t').append(info);
                    if (samples > 0) {
                        sb.append("\tGT:DP");
                        for (int s = 0; s < samples; s++) {
                            sb.append('\t')
                                    .append(rnd.nextInt(2))
                                    .append(rnd.nextBoolean() ? '/' : '|')
                                    .append(rnd.nextInt(2))
                                    .append(':')
                                    .append(rnd.nextInt(60));
                        }
                    }
                    sb.append('\n');
                    w.write(sb.toString());
                }
            }
        }
        return file;
    }

    /** Writes a sorted BED6 file with zero-length and long intervals. */
    static Path bed(Path file, Random rnd, int n, List<Contig> contigs) throws IOException {
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write("# generated by Karyo tests\n");
            w.write("#chrom\tstart\tend\tname\tscore\tstrand\n");
            int[] counts = split(rnd, n, contigs.size());
            for (int ci = 0; ci < contigs.size(); ci++) {
                Contig c = contigs.get(ci);
                long[] pos = positions(rnd, counts[ci], c.length());
                for (long p : pos) {
                    long start = p - 1;
                    int kind = rnd.nextInt(30);
                    long len = kind == 0
                            ? 0
                            : kind == 1 ? (long) (Math.pow(rnd.nextDouble(), 3) * 2_000_000) : 1 + rnd.nextInt(500);
                    w.write(c.name() + "\t" + start + "\t" + (start + len) + "\tf" + p + "\t" + rnd.nextInt(1000) + "\t"
                            + (rnd.nextBoolean() ? '+' : '-') + "\n");
                }
            }
        }
        return file;
    }

    private static int[] split(Random rnd, int n, int parts) {
        int[] c = new int[parts];
        double[] w = new double[parts];
        double sum = 0;
        for (int i = 0; i < parts; i++) {
            w[i] = 0.2 + rnd.nextDouble();
            sum += w[i];
        }
        int left = n;
        for (int i = 0; i < parts; i++) {
            c[i] = i == parts - 1 ? left : (int) (n * w[i] / sum);
            left -= c[i];
        }
        return c;
    }

    private static long[] positions(Random rnd, int n, long length) {
        long[] p = new long[n];
        for (int i = 0; i < n; i++) {
            // clusters make dense and sparse stretches; some duplicates
            p[i] = 1 + (long) (Math.pow(rnd.nextDouble(), 1.5) * (length - 1));
            if (i > 0 && rnd.nextInt(50) == 0) {
                p[i] = p[i - 1];
            }
        }
        Arrays.sort(p);
        return p;
    }

    /** Random regions in tabix syntax over {@code contigs}. */
    static List<String> regions(Random rnd, int n, List<Contig> contigs) {
        List<String> r = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Contig c = contigs.get(rnd.nextInt(contigs.size()));
            long a = 1 + (long) (rnd.nextDouble() * c.length());
            int kind = rnd.nextInt(10);
            switch (kind) {
                case 0 -> r.add(c.name());
                case 1 -> r.add(c.name() + ":" + a);
                case 2 -> r.add(c.name() + ":-" + a);
                case 3 -> r.add(c.name() + ":" + a + "-" + (a + rnd.nextInt(10_000_000)));
                case 4 -> r.add(c.name() + ":" + String.format("%,d", a) + "-" + String.format("%,d", a + 100_000));
                case 5 -> r.add(c.name() + ":" + a + "-" + a);
                default -> r.add(c.name() + ":" + a + "-" + (a + rnd.nextInt(1000)));
            }
        }
        return r;
    }
}
