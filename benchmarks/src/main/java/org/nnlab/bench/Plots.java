package org.nnlab.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;
import org.nnlab.io.AtomicFiles;
import org.nnlab.io.Json;

/**
 * The charts of docs/benchmarks.md, from data the scripts wrote:
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar org.nnlab.bench.Plots compare RESULTS.txt OUT.png
 * java -cp benchmarks/target/benchmarks.jar org.nnlab.bench.Plots accuracy OUT.png RUN_DIR...
 * </pre>
 * {@code compare}: median training and inference examples/s per configuration from
 * {@code benchmarks/compare.sh}'s raw results (lines "who mode batch threads rate"), one bar per
 * framework. {@code accuracy}: held-out accuracy against training time for lab runs
 * ({@code evaluations.csv} + {@code summary.json} of each run directory), plus each run's final
 * test accuracy. The lab logs evaluations by step, so their time is step x the run's mean seconds
 * per step; the final points use the run's measured {@code train_seconds}.
 */
public final class Plots {
    private Plots() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length >= 3 && args[0].equals("compare")) {
            compare(Path.of(args[1]), Path.of(args[2]));
        } else if (args.length >= 3 && args[0].equals("accuracy")) {
            List<Path> runs = new ArrayList<>();
            for (int i = 2; i < args.length; i++) {
                runs.add(Path.of(args[i]));
            }
            accuracy(Path.of(args[1]), runs);
        } else {
            System.err.println("usage: Plots compare RESULTS.txt OUT.png | Plots accuracy OUT.png RUN_DIR...");
            System.exit(2);
        }
    }

    static void compare(Path results, Path out) throws IOException {
        // configuration ("train b20 2t") -> framework -> rates, in the order first seen
        Map<String, Map<String, List<Double>>> rows = new LinkedHashMap<>();
        for (String line : Files.readAllLines(results)) {
            String[] f = line.trim().split("\\s+");
            if (f.length != 5) {
                continue;
            }
            String config = f[1] + " b" + f[2] + " " + f[3] + "t";
            rows.computeIfAbsent(config, k -> new TreeMap<>()).computeIfAbsent(f[0], k -> new ArrayList<>())
                    .add(Double.parseDouble(f[4]));
        }
        // ConvNetJS trains one example at a time on one thread; compare.sh files it under batch 20, 1 thread
        List<String> configs = new ArrayList<>(rows.keySet());
        CategoryChart chart = new CategoryChartBuilder().width(900).height(450)
                .title("Lab net, examples/s (median of repeats; one run of benchmarks/compare.sh)")
                .xAxisTitle("mode, batch, threads").yAxisTitle("examples/s").build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
        for (String who : List.of("nnlab", "nnlab-vector", "pytorch", "convnetjs")) {
            List<Double> values = new ArrayList<>();
            boolean any = false;
            for (String c : configs) {
                List<Double> v = rows.get(c).get(who);
                values.add(v == null ? 0.0 : median(v));
                any |= v != null;
            }
            if (any) {
                chart.addSeries(who, configs, values);
            }
        }
        write(out, BitmapEncoder.getBufferedImage(chart));
    }

    static void accuracy(Path out, List<Path> runs) throws IOException {
        XYChart chart = new XYChartBuilder().width(900).height(450)
                .title("Lab net on MNIST: accuracy against training time (2 threads, batch 20)")
                .xAxisTitle("training seconds").yAxisTitle("accuracy %").build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideSE);
        List<Double> finalX = new ArrayList<>(), finalY = new ArrayList<>();
        Path longest = null;
        long longestSteps = -1;
        for (Path run : runs) {
            Path summary = run.resolve("summary.json");
            long steps = (long) number(summary, "steps");
            finalX.add(number(summary, "train_seconds"));
            finalY.add(100 * number(summary, "test_accuracy"));
            if (steps > longestSteps) {
                longestSteps = steps;
                longest = run;
            }
        }
        double secondsPerStep = number(longest.resolve("summary.json"), "train_seconds") / longestSteps;
        List<Double> x = new ArrayList<>(), y = new ArrayList<>();
        for (String line : Files.readAllLines(longest.resolve("evaluations.csv"))) {
            String[] f = line.split(",");
            if (f.length < 2 || f[0].equals("step")) {
                continue;
            }
            x.add(Long.parseLong(f[0]) * secondsPerStep);
            y.add(100 * Double.parseDouble(f[1]));
        }
        chart.addSeries("held-out 3 000, last step's weights (longest run)", x, y);
        chart.addSeries("full test set, mean of the last epoch's weights (end of each run)", finalX, finalY)
                .setLineStyle(org.knowm.xchart.style.lines.SeriesLines.NONE);
        write(out, BitmapEncoder.getBufferedImage(chart));
    }

    private static double median(List<Double> v) {
        List<Double> s = new ArrayList<>(v);
        s.sort(null);
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }

    /** A number from a lab run's {@code summary.json}, read with nnlab's strict JSON parser. */
    private static double number(Path summary, String key) throws IOException {
        Object root = Json.parse(Files.readString(summary), summary.toString());
        Object value = root instanceof Map<?, ?> fields ? fields.get(key) : null;
        if (!(value instanceof Double d)) {
            throw new IllegalArgumentException(summary + ": no number \"" + key + "\"");
        }
        return d;
    }

    private static void write(Path out, java.awt.image.BufferedImage image) throws IOException {
        AtomicFiles.write(out, stream -> ImageIO.write(image, "png", stream));
        System.out.println("wrote " + out);
    }
}
