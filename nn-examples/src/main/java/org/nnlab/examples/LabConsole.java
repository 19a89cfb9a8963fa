package org.nnlab.examples;

import java.io.PrintStream;
import java.util.Locale;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.nnlab.mnist.MnistDataset;
import org.nnlab.net.Net;
import org.nnlab.train.EpochStats;
import org.nnlab.train.Evaluation;
import org.nnlab.train.StepStats;
import org.nnlab.train.Trainer;
import org.nnlab.train.TrainingListener;

/**
 * The lab's "what to watch", in the terminal: a progress bar with loss, examples/s and ETA; a line per
 * evaluation; the 20-image sample grid after every epoch; and the lab's plateau warning.
 */
final class LabConsole implements TrainingListener, AutoCloseable {
    /** The lab's advice: a loss still above 0.5 after a few thousand steps means a slow start. */
    static final int PLATEAU_STEPS = 3000;
    static final double PLATEAU_LOSS = 0.5;

    private final PrintStream out;
    private final RunRecorder recorder;
    private final MnistDataset samples;
    private final boolean colour, interactive;
    private final ProgressBar bar;
    private boolean warned;

    LabConsole(PrintStream out, RunRecorder recorder, MnistDataset samples, long startStep, long totalSteps, int batch,
               boolean interactive) {
        this.out = out;
        this.recorder = recorder;
        this.samples = samples;
        this.interactive = interactive;
        this.colour = interactive && System.getenv("NO_COLOR") == null;
        ProgressBarBuilder builder = new ProgressBarBuilder().setTaskName("training").setInitialMax(totalSteps)
                .setUnit(" steps", 1).showSpeed().setStyle(ProgressBarStyle.ASCII)
                .startsFrom(startStep, java.time.Duration.ZERO);
        if (interactive) {
            builder.setConsumer(new ConsoleProgressBarConsumer(out)).setUpdateIntervalMillis(500);
        } else {
            // no terminal (CI, a pipe): a plain line every 15 s instead of carriage-return redraws
            builder.setConsumer(new DelegatingProgressBarConsumer(out::println)).setUpdateIntervalMillis(15_000);
        }
        this.bar = builder.build();
    }

    @Override
    public void onStep(Trainer trainer, StepStats stats) {
        bar.stepTo(stats.step());
        bar.setExtraMessage(String.format(Locale.ROOT, " loss %.3f, %,.0f ex/s", recorder.smoothedLoss(),
                stats.examplesPerSecond()));
        if (!warned && stats.step() >= PLATEAU_STEPS && recorder.smoothedLoss() > PLATEAU_LOSS) {
            warned = true;
            line(String.format(Locale.ROOT, "warning: the loss is still %.2f after %d steps: this run started slowly."
                    + " The lab's remedy is Reset: run again with another --seed.", recorder.smoothedLoss(),
                    stats.step()));
        }
    }

    @Override
    public void onEvaluation(Trainer trainer, Evaluation e) {
        line(String.format(Locale.ROOT, "step %6d  loss %.3f  test accuracy %.2f %% (%d held-out)", e.step(),
                recorder.smoothedLoss(), 100 * e.accuracy(), e.examples()));
    }

    @Override
    public void onEpoch(Trainer trainer, EpochStats stats) {
        line(String.format(Locale.ROOT, "epoch %d done: %.1f s of training, mean loss %.3f", stats.epoch(),
                stats.seconds(), stats.meanLoss()));
        printSamples(trainer.net());
    }

    /** The 20 sample images with the net's current predictions. */
    void printSamples(Net net) {
        Samples s = Samples.predict(net, samples);
        line("sample predictions:\n" + DigitArt.grid(s.images(), s.side(), s.count(), s.predicted(), s.actual(), 10,
                colour));
    }

    void line(String text) {
        if (interactive) {
            out.print("\r\u001b[K"); // clear the progress bar's line first
        }
        out.println(text);
    }

    @Override
    public void close() {
        bar.close();
    }
}
