package org.nnlab.examples;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.knowm.xchart.internal.chartpart.Chart;
import org.nnlab.io.AtomicFiles;
import org.nnlab.train.Evaluation;

/**
 * Writes a run's results into its output directory: metrics as CSV and JSON, charts as PNG (XChart),
 * the sample grid (Java 2D), and report.html tying them together. Every file is written to a temp
 * file and moved into place, so a killed run never leaves half a file.
 */
final class Report {
    private final Path dir;

    Report(Path dir) throws IOException {
        this.dir = Files.createDirectories(dir);
    }

    void write(RunRecorder run, Evaluation finalTest, String summaryJson, String title, float[] samples, int side,
               int[] predicted, int[] actual, List<String> classNames) throws IOException {
        StringBuilder losses = new StringBuilder("step,loss,smoothed_loss\n");
        for (double[] l : run.losses) {
            losses.append(String.format(Locale.ROOT, "%d,%.6f,%.6f%n", (long) l[0], l[1], l[2]));
        }
        writeText("loss.csv", losses.toString());
        StringBuilder evals = new StringBuilder("step,accuracy,loss\n");
        for (Evaluation e : run.evaluations) {
            evals.append(String.format(Locale.ROOT, "%d,%.6f,%.6f%n", e.step(), e.accuracy(), e.loss()));
        }
        writeText("evaluations.csv", evals.toString());
        writeText("summary.json", summaryJson + "\n");

        XYChart loss = new XYChartBuilder().width(800).height(450).title("Training loss")
                .xAxisTitle("step").yAxisTitle("cross-entropy").build();
        loss.getStyler().setMarkerSize(0);
        loss.getStyler().setXAxisDecimalPattern("#");
        loss.getStyler().setXAxisTickMarkSpacingHint(120);
        double[] steps = run.losses.stream().mapToDouble(l -> l[0]).toArray();
        XYSeries raw = loss.addSeries("loss", steps, run.losses.stream().mapToDouble(l -> l[1]).toArray());
        raw.setMarker(SeriesMarkers.NONE);
        raw.setLineColor(new Color(150, 180, 220));
        XYSeries smooth = loss.addSeries("smoothed", steps, run.losses.stream().mapToDouble(l -> l[2]).toArray());
        smooth.setMarker(SeriesMarkers.NONE);
        smooth.setLineColor(new Color(20, 60, 160));
        loss.getStyler().setYAxisLogarithmic(true);
        writeChart("loss.png", loss);

        if (!run.evaluations.isEmpty()) {
            XYChart accuracy = new XYChartBuilder().width(800).height(450).title("Test accuracy (3 000 held-out)")
                    .xAxisTitle("step").yAxisTitle("accuracy %").build();
            accuracy.getStyler().setXAxisDecimalPattern("#");
            accuracy.getStyler().setXAxisTickMarkSpacingHint(120);
            accuracy.addSeries("accuracy", run.evaluations.stream().mapToDouble(Evaluation::step).toArray(),
                    run.evaluations.stream().mapToDouble(e -> 100 * e.accuracy()).toArray());
            writeChart("accuracy.png", accuracy);
        }

        int[][] confusion = finalTest.confusion();
        int classes = confusion.length;
        int[] xs = new int[classes];
        for (int i = 0; i < classes; i++) {
            xs[i] = i;
        }
        HeatMapChart heat = new HeatMapChartBuilder().width(700).height(600)
                .title("Confusion matrix (rows: true, columns: predicted)").xAxisTitle("predicted")
                .yAxisTitle("true").build();
        java.util.List<Number[]> cells = new java.util.ArrayList<>();
        for (int t = 0; t < classes; t++) {
            for (int p = 0; p < classes; p++) {
                cells.add(new Number[] {p, classes - 1 - t, Math.log1p(confusion[t][p])});
            }
        }
        heat.getStyler().setShowValue(false);
        heat.addSeries("log(1 + count)", java.util.Arrays.stream(xs).boxed().toList(),
                java.util.Arrays.stream(xs).map(i -> classes - 1 - i).boxed().toList(), cells);
        writeChart("confusion.png", heat);

        writeImage("samples.png", sampleGrid(samples, side, predicted, actual, classNames));

        StringBuilder table = new StringBuilder("<table><tr><th>true \\ predicted</th>");
        for (int p = 0; p < classes; p++) {
            table.append("<th>").append(escape(classNames.get(p))).append("</th>");
        }
        table.append("</tr>");
        for (int t = 0; t < classes; t++) {
            table.append("<tr><th>").append(escape(classNames.get(t))).append("</th>");
            for (int p = 0; p < classes; p++) {
                table.append(t == p ? "<td class=d>" : confusion[t][p] > 0 ? "<td class=e>" : "<td>")
                        .append(confusion[t][p]).append("</td>");
            }
            table.append("</tr>");
        }
        table.append("</table>");
        writeText("report.html", "<!doctype html><meta charset=utf-8><title>" + escape(title) + "</title>"
                + "<style>body{font-family:sans-serif;max-width:900px;margin:auto}td,th{padding:2px 6px;"
                + "text-align:right}.d{background:#cfc}.e{background:#fcc}pre{background:#eee;padding:8px;"
                + "white-space:pre-wrap}</style><h1>" + escape(title) + "</h1><pre>" + escape(summaryJson)
                + "</pre><img src=loss.png><img src=accuracy.png><h2>Confusion matrix, full test set</h2>"
                + table + "<img src=confusion.png><h2>Samples (green: right, red: wrong)</h2>"
                + "<img src=samples.png><p>Data: loss.csv, evaluations.csv, summary.json</p>\n");
    }

    /** The test samples, zoomed, with predicted labels and green (right) or red (wrong) borders. */
    static BufferedImage sampleGrid(float[] samples, int side, int[] predicted, int[] actual, List<String> names) {
        int zoom = 4, cell = side * zoom + 16, perRow = 10, count = predicted.length;
        int rows = (count + perRow - 1) / perRow;
        BufferedImage out = new BufferedImage(perRow * cell, rows * (cell + 18), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, out.getWidth(), out.getHeight());
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        for (int i = 0; i < count; i++) {
            BufferedImage digit = new BufferedImage(side, side, BufferedImage.TYPE_BYTE_GRAY);
            for (int y = 0; y < side; y++) {
                for (int x = 0; x < side; x++) {
                    float v = Math.max(0, Math.min(1, samples[i * side * side + y * side + x]));
                    digit.getRaster().setSample(x, y, 0, 255 - Math.round(v * 255));
                }
            }
            int x0 = (i % perRow) * cell + 8, y0 = (i / perRow) * (cell + 18) + 8;
            g.drawImage(digit, x0, y0, side * zoom, side * zoom, null);
            boolean right = predicted[i] == actual[i];
            g.setColor(right ? new Color(0, 160, 0) : new Color(210, 0, 0));
            g.setStroke(new BasicStroke(3));
            g.drawRect(x0 - 3, y0 - 3, side * zoom + 5, side * zoom + 5);
            g.drawString(right ? names.get(predicted[i]) : names.get(predicted[i]) + " (" + names.get(actual[i]) + ")",
                    x0, y0 + side * zoom + 16);
        }
        g.dispose();
        return out;
    }

    private void writeChart(String name, Chart<?, ?> chart) throws IOException {
        writeAtomically(name, out -> BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG));
    }

    private void writeImage(String name, BufferedImage image) throws IOException {
        writeAtomically(name, out -> ImageIO.write(image, "png", out));
    }

    private void writeText(String name, String text) throws IOException {
        writeAtomically(name, out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
    }

    /** Writes {@code name} through a temp file in the same directory and one atomic move. */
    private void writeAtomically(String name, AtomicFiles.Content content) throws IOException {
        AtomicFiles.write(dir.resolve(name), content);
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
