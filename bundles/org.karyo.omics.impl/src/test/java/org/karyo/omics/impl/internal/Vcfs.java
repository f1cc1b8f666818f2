package org.karyo.omics.impl.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Small VCFs generated from a seed: three contigs, sorted records with SNVs, indels and a few structural variants
 * whose INFO/END reaches past their position (so that overlap follows END, as tabix does), genotypes per sample.
 */
final class Vcfs {
    static final String[] CONTIGS = {"chr1", "chr2", "chrX"};
    static final long[] LENGTHS = {248_956_422L, 242_193_529L, 156_040_895L};

    private Vcfs() {}

    /** A VCF of about {@code records} records over {@code samples}. */
    static byte[] vcf(long seed, int records, List<String> samples) {
        Random r = new Random(seed);
        StringBuilder sb = new StringBuilder(records * (60 + 12 * samples.size()));
        sb.append("##fileformat=VCFv4.2\n");
        sb.append("##reference=GRCh38\n");
        for (int i = 0; i < CONTIGS.length; i++) {
            sb.append("##contig=<ID=")
                    .append(CONTIGS[i])
                    .append(",length=")
                    .append(LENGTHS[i])
                    .append(">\n");
        }
        sb.append("##FILTER=<ID=PASS,Description=\"All filters passed\">\n");
        sb.append("##FILTER=<ID=q10,Description=\"Quality below 10\">\n");
        sb.append("##INFO=<ID=DP,Number=1,Type=Integer,Description=\"Total depth\">\n");
        sb.append("##INFO=<ID=AF,Number=A,Type=Float,Description=\"Allele frequency\">\n");
        sb.append("##INFO=<ID=END,Number=1,Type=Integer,Description=\"End of the variant\">\n");
        sb.append("##INFO=<ID=SVTYPE,Number=1,Type=String,Description=\"Structural variant type\">\n");
        sb.append("##INFO=<ID=DB,Number=0,Type=Flag,Description=\"In dbSNP\">\n");
        sb.append("##FORMAT=<ID=GT,Number=1,Type=String,Description=\"Genotype\">\n");
        sb.append("##FORMAT=<ID=DP,Number=1,Type=Integer,Description=\"Read depth\">\n");
        sb.append("#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO");
        if (!samples.isEmpty()) {
            sb.append("\tFORMAT");
            for (String s : samples) {
                sb.append('\t').append(s);
            }
        }
        sb.append('\n');
        String bases = "ACGT";
        int perContig = Math.max(1, records / CONTIGS.length);
        for (String contig : CONTIGS) {
            long pos = 1 + r.nextInt(1000);
            for (int i = 0; i < perContig; i++) {
                pos += 1 + r.nextInt(3000);
                char ref = bases.charAt(r.nextInt(4));
                char alt = bases.charAt((bases.indexOf(ref) + 1 + r.nextInt(3)) % 4);
                int kind = r.nextInt(100);
                sb.append(contig).append('\t').append(pos).append('\t');
                sb.append(r.nextInt(4) == 0 ? "rs" + (1000 + r.nextInt(1_000_000)) : ".")
                        .append('\t');
                String info;
                if (kind < 3) {
                    long end = pos + 1000 + r.nextInt(50_000);
                    sb.append(ref).append("\t<DEL>\t");
                    info = "SVTYPE=DEL;END=" + end + ";DP=" + r.nextInt(100);
                } else if (kind < 15) {
                    sb.append(ref)
                            .append(alt)
                            .append(alt)
                            .append('\t')
                            .append(ref)
                            .append('\t');
                    info = "DP=" + r.nextInt(100) + ";AF=0." + (1 + r.nextInt(9));
                } else {
                    sb.append(ref).append('\t').append(alt).append('\t');
                    info = "DP=" + r.nextInt(100) + ";AF=0." + (1 + r.nextInt(9)) + (r.nextInt(5) == 0 ? ";DB" : "");
                }
                sb.append(r.nextInt(10) == 0 ? "." : Integer.toString(5 + r.nextInt(90)))
                        .append('\t');
                sb.append(r.nextInt(8) == 0 ? "q10" : "PASS").append('\t');
                sb.append(info);
                if (!samples.isEmpty()) {
                    sb.append("\tGT:DP");
                    for (int s = 0; s < samples.size(); s++) {
                        int g = r.nextInt(4);
                        String gt = g == 0 ? "0/0" : g == 1 ? "0/1" : g == 2 ? "1/1" : "./.";
                        sb.append('\t').append(gt).append(':').append(r.nextInt(60));
                    }
                }
                sb.append('\n');
            }
        }
        return sb.toString().getBytes(StandardCharsets.US_ASCII);
    }

    /** The data lines (no header) of a VCF. */
    static List<String> records(byte[] vcf) {
        List<String> out = new ArrayList<>();
        for (String line : new String(vcf, StandardCharsets.UTF_8).split("\n")) {
            if (!line.isEmpty() && !line.startsWith("#")) {
                out.add(line);
            }
        }
        return out;
    }
}
