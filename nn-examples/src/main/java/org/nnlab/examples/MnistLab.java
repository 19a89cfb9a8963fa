package org.nnlab.examples;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.nnlab.mnist.DatasetFiles;
import org.nnlab.mnist.FashionMnist;
import org.nnlab.mnist.Fetcher;
import org.nnlab.mnist.Mnist;
import org.nnlab.mnist.MnistDataset;
import org.nnlab.mnist.MnistSplits;
import org.nnlab.mnist.MultiCrop;
import org.nnlab.net.ConvNetJs;
import org.nnlab.net.ModelFile;
import org.nnlab.net.Net;
import org.nnlab.optim.Adadelta;
import org.nnlab.optim.Adagrad;
import org.nnlab.optim.Adam;
import org.nnlab.optim.Optimizer;
import org.nnlab.optim.Sgd;
import org.nnlab.train.Checkpoint;
import org.nnlab.train.Checkpointer;
import org.nnlab.train.Evaluation;
import org.nnlab.train.Trainer;
import org.nnlab.train.WeightAveraging;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The MNIST lab: ConvNetJS's browser lab, in Java. Builds the lab's two-block net, trains it with
 * Adadelta on fresh random 24x24 crops, evaluates on 3 000 held-out test images every 400 steps, and
 * ends with the full test set (centre crop and 4-crop average) and one JSON line.
 */
@Command(name = "mnist-lab", mixinStandardHelpOptions = true, version = "nnlab mnist-lab 0.1.0",
        sortOptions = false, usageHelpAutoWidth = true,
        description = "Trains the lab's convnet on MNIST (or Fashion-MNIST) and reports loss, accuracy and samples.")
public final class MnistLab implements Callable<Integer> {
    /** What the defaults reach on the 2-core reference machine (docs/lab.md has the runs). */
    static final String EXPECTED = "expected with the defaults: >= 99.0 % test accuracy after 15 epochs (99.11 % "
            + "measured with seed 1), about 5 s of training per epoch on 2 cores (docs/lab.md)";

    static final int DEFAULT_EPOCHS = 15;

    @Option(names = "--epochs", description = "Passes over the training set (default: 15; with --resume, the "
            + "resumed run's length). A new total, counted from the start of the run.")
    Integer epochs;

    @Option(names = "--steps", description = "Train for this many steps in total instead of --epochs.")
    Long steps;

    @Option(names = "--batch", description = "Examples per step (default: ${DEFAULT-VALUE}, as the lab).")
    int batch = 20;

    @Option(names = "--threads", description = "Threads for each step; results do not depend on it (default: ${DEFAULT-VALUE}).")
    int threads = Trainer.DEFAULT_THREADS;

    @Option(names = "--seed", description = "Seed for weights, shuffling and crops (default: ${DEFAULT-VALUE}).")
    long seed = 1;

    @Option(names = "--data", paramLabel = "DIR", description = "Directory with the four IDX files (raw or .gz).")
    Path data;

    @Option(names = "--dataset", description = "mnist or fashion (default: ${DEFAULT-VALUE}).")
    String dataset = "mnist";

    @Option(names = "--optimizer", description = "adadelta, adam, adagrad or sgd (default: ${DEFAULT-VALUE}).")
    String optimizer = "adadelta";

    /**
     * Zeiler's 1e-6 rather than ConvNetJS's 1e-8: measured, 1e-8 needs 30 epochs to reach 98.97 %,
     * 1e-6 gets there in about 12 (docs/lab.md).
     */
    @Option(names = "--adadelta-eps", description = "Adadelta's epsilon (default: ${DEFAULT-VALUE}, Zeiler's; ConvNetJS uses 1e-8).")
    double adadeltaEps = 1e-6;

    @Option(names = "--l2", description = "L2 weight decay as ConvNetJS counts it, i.e. divided by the batch size "
            + "(default: ${DEFAULT-VALUE}, the lab's).")
    double l2 = 0.001;

    @Option(names = "--out", paramLabel = "DIR", description = "Where to write metrics and the report (default: runs/<timestamp>).")
    Path out;

    @Option(names = "--train-limit", paramLabel = "N", description = "Use only the first N training images.")
    Integer trainLimit;

    @Option(names = "--test-limit", paramLabel = "N", description = "Use only the first N test images.")
    Integer testLimit;

    @Option(names = "--average-last", paramLabel = "STEPS", description = "Evaluate the mean of the weights over the "
            + "last STEPS steps, at most the last third of the run (Polyak averaging; default: ${DEFAULT-VALUE}, "
            + "one epoch; 0 = off).")
    long averageLast = 3000;

    @Option(names = "--checkpoint-every", paramLabel = "STEPS", description = "Also checkpoint every STEPS steps "
            + "(default: ${DEFAULT-VALUE}; checkpoints are also written at each epoch's end and when training ends; 0 = "
            + "only those).")
    long checkpointEvery = 1000;

    @Option(names = "--resume", paramLabel = "DIR", description = "Continue the run whose --out was DIR from its "
            + "checkpoint, with its settings; --steps or --epochs give a new total. Writes into DIR unless --out.")
    Path resume;

    @Option(names = "--evaluate", paramLabel = "MODEL", description = "Only evaluate a saved model (e.g. "
            + "runs/<ts>/model.nnlab) on the test set and print the JSON line.")
    Path evaluate;

    @Option(names = "--no-ui", description = "Do not serve the live browser view.")
    boolean noUi;

    @Option(names = "--port", description = "Port of the live view (default: ${DEFAULT-VALUE}, any free port; the URL is printed).")
    int port = 0;

    @Option(names = "--host", description = "Address the live view listens on (default: ${DEFAULT-VALUE}, this machine "
            + "only; anything else prints a warning).")
    String host = "127.0.0.1";

    @Option(names = "--open", description = "Open the live view in the desktop's browser.")
    boolean open;

    @Option(names = "--quiet", description = "Print only the final JSON line.")
    boolean quiet;

    @Option(names = "--verbose", description = "Show stack traces on errors.")
    boolean verbose;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private PrintStream log = System.out;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the lab and returns its exit code: 0 done, 1 failed (data, I/O), 2 invalid arguments. */
    static int run(String... args) {
        CommandLine cli = new CommandLine(new MnistLab());
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            MnistLab lab = commandLine.getCommand();
            commandLine.getErr().println("error: " + (e.getMessage() != null ? e.getMessage() : e.toString()));
            if (lab.verbose) {
                e.printStackTrace(commandLine.getErr());
            }
            return 1;
        });
        return cli.execute(args);
    }

    /** Settings a resumed run must keep; saved in every checkpoint's metadata. */
    private static final List<String> RUN_SETTINGS = List.of("--dataset", "--batch", "--seed", "--optimizer",
            "--adadelta-eps", "--l2", "--train-limit", "--test-limit", "--average-last");

    @Override
    public Integer call() throws IOException {
        validate();
        if (quiet) {
            log = new PrintStream(java.io.OutputStream.nullOutputStream());
        }
        if (evaluate != null) {
            return evaluateModel();
        }
        Checkpoint resumed = null;
        if (resume != null) {
            resumed = Checkpoint.load(resume.resolve(CHECKPOINT));
            adoptSettings(resumed.metadata());
        }
        boolean fashion = dataset.equals("fashion");
        DatasetFiles files = fashion ? FashionMnist.FILES : Mnist.FILES;
        MnistSplits splits = MnistSplits.load(files, locateData(files, fashion));
        // ConvNetJS's preprocessing: p/255 - 0.5, random 24x24 crops in training, centre crop in tests
        MnistDataset train = splits.train().withScaling(MnistDataset.Scaling.CENTERED).withCrop(24);
        MnistDataset test = splits.test().withScaling(MnistDataset.Scaling.CENTERED).withCrop(24);
        if (trainLimit != null) {
            train = train.subset(0, Math.min(trainLimit, train.size()));
        }
        if (testLimit != null) {
            test = test.subset(0, Math.min(testLimit, test.size()));
        }
        MnistDataset heldOut = test.subset(0, Math.min(3000, test.size()));
        long stepsPerEpoch = (train.size() + batch - 1) / batch;
        long totalSteps = steps != null ? steps : epochs != null ? epochs * stepsPerEpoch
                : resumed != null ? Long.parseLong(resumed.metadata().get("lab.total-steps"))
                : DEFAULT_EPOCHS * stepsPerEpoch;

        Path outDir = out != null ? out : resume != null ? resume : Path.of("runs", LocalDateTime.now().format(
                DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT)));
        log.println(files.name() + ": " + train.size() + " training images (random 24x24 crops), " + test.size()
                + " test images (centre crop); " + totalSteps + " steps of " + batch + ", " + threads + " thread(s), "
                + optimizer());
        MnistDataset samples = test.subset(0, Math.min(20, test.size()));
        LiveView view = null;
        LiveServer server = null;
        if (!noUi) {
            view = new LiveView(() -> labNet(seed), samples);
            server = new LiveServer(view, host, port);
            (quiet ? System.err : log).println("live view: " + server.url()); // printed even with --quiet
            if (!java.net.InetAddress.getByName(host).isLoopbackAddress()) {
                log.println("warning: --host " + host + " makes the live view (with its Pause and Reset buttons) "
                        + "reachable from other machines; it has no authentication");
            }
            if (open) {
                openBrowser(server.url());
            }
        }
        try {
            return train(resumed, train, test, heldOut, samples, totalSteps, outDir, fashion, view, server);
        } finally {
            if (server != null) {
                server.close();
            }
        }
    }

    /** The lab, as the diagram draws it. */
    static Net labNet(long seed) {
        return Net.builder(24, 24, 1)
                .conv(5, 8).relu().maxPool(2)
                .conv(5, 16).relu().maxPool(3)
                .softmax(10)
                .seed(seed)
                .build();
    }

    private int train(Checkpoint resumed, MnistDataset train, MnistDataset test, MnistDataset heldOut,
                      MnistDataset samples, long totalSteps, Path outDir, boolean fashion, LiveView view,
                      LiveServer server) throws IOException {
        Net net;
        Trainer trainer;
        RunRecorder recorder;
        WeightAveraging averaging;
        LabConsole console;
        while (true) { // once, or again after each Reset on the live page
            net = resumed != null ? resumed.net() : labNet(seed);
            Map<String, String> settings = settings(totalSteps);
            Checkpointer checkpointer = new Checkpointer(outDir.resolve(CHECKPOINT), checkpointEvery, true,
                    () -> settings);
            recorder = new RunRecorder();
            Trainer.Builder trainerBuilder = Trainer.builder(net, optimizer())
                    .batchSize(batch)
                    .l2Decay(l2 / batch) // ConvNetJS divides decay by the batch size; nnlab does not
                    .threads(threads)
                    .seed(seed)
                    .evaluateEvery(400, heldOut)
                    .listener(recorder)
                    .listener(checkpointer);
            // The mean of the last epoch's weights: measured +0.27 % on the full test set (docs/lab.md).
            long window = Math.min(averageLast, totalSteps / 3);
            averaging = window > 0 ? new WeightAveraging(totalSteps - window + 1) : null;
            if (averaging != null) {
                trainerBuilder.listener(averaging);
            }
            log.print(net.summary());
            if (resumed != null) {
                log.println("resuming " + resume + " at step " + resumed.steps() + " of " + totalSteps
                        + " (checkpoints and report go to " + outDir + ")");
            }
            log.println(fashion ? "expected: see docs/lab.md for Fashion-MNIST" : EXPECTED);
            console = quiet ? null
                    : new LabConsole(log, recorder, samples, resumed != null ? resumed.steps() : 0, totalSteps, batch,
                    System.console() != null);
            if (console != null) {
                trainerBuilder.listener(console);
            }
            if (view != null) {
                trainerBuilder.listener(view);
            }
            trainer = trainerBuilder.build();
            if (resumed != null) {
                resumed.restore(trainer);
            }
            if (view != null) {
                view.attach(trainer, totalSteps);
            }
            try {
                trainer.fitSteps(train, totalSteps);
            } finally {
                if (console != null) {
                    console.close();
                }
            }
            if (view != null && view.takeReset()) {
                seed++;
                resumed = null;
                log.println("Reset: starting again with a fresh net, --seed " + seed);
                continue;
            }
            checkpointer.save(trainer); // the raw weights, before averaging: --resume continues from here
            break;
        }

        if (averaging != null) {
            averaging.applyTo(net.parameters());
            log.println("evaluating the mean weights of the last " + averaging.count() + " steps");
        }
        Evaluation full = trainer.evaluate(test);
        double fourCrop = MultiCrop.accuracy(net, test);
        double seconds = trainer.trainingSeconds();
        int lastEpochs = (int) Math.ceil((double) trainer.steps() * batch / train.size());
        if (console != null) {
            console.printSamples(net);
        }
        log.printf(Locale.ROOT, "test accuracy on %d images: %.2f %% (centre crop), %.2f %% (4-crop average)%n",
                test.size(), 100 * full.accuracy(), 100 * fourCrop);
        log.printf(Locale.ROOT, "training took %.1f s (%.0f examples/s); %s%n", seconds,
                trainer.steps() * batch / Math.max(seconds, 1e-9), fashion ? "" : EXPECTED);

        Json summary = new Json()
                .put("dataset", fashion ? "fashion-mnist" : "mnist")
                .put("epochs", lastEpochs)
                .put("steps", trainer.steps())
                .put("batch", batch)
                .put("threads", threads)
                .put("seed", seed)
                .put("optimizer", optimizer)
                .put("params", net.parameterCount())
                .put("train_examples", train.size())
                .put("test_examples", test.size())
                .put("train_seconds", seconds)
                .put("train_examples_per_s", trainer.steps() * batch / Math.max(seconds, 1e-9))
                .put("test_accuracy", full.accuracy())
                .put("test_accuracy_4crop", fourCrop)
                .put("final_loss", recorder.smoothedLoss());
        Map<String, String> modelInfo = new LinkedHashMap<>();
        modelInfo.put("dataset", fashion ? "fashion-mnist" : "mnist");
        modelInfo.put("classes", String.join(",", samples.classNames()));
        modelInfo.put("preprocessing", "centre 24x24 crop of the 28x28 image, pixel/255 - 0.5");
        modelInfo.put("test_accuracy", String.valueOf(full.accuracy()));
        ModelFile.save(net, outDir.resolve(MODEL), modelInfo);
        ConvNetJs.write(net, outDir.resolve("model-convnetjs.json"));
        writeReport(outDir, recorder, full, summary, samples, net);
        log.println("model: " + outDir.resolve(MODEL) + " (ConvNetJS JSON: model-convnetjs.json; checkpoint: "
                + CHECKPOINT + ")");
        log.println("report: " + outDir.resolve("report.html").toAbsolutePath());
        if (view != null) {
            view.finish(summary.toString());
            log.println("training done; the live view stays up at " + server.url() + " (drawing still works): "
                    + "press Enter or Ctrl+C to quit");
        }
        System.out.println(summary); // the last line, also with --quiet
        System.out.flush();
        if (view != null) {
            System.in.read(); // returns at once when there is no input (/dev/null, a closed pipe, CI)
        }
        return 0;
    }

    private void openBrowser(java.net.URI url) {
        try {
            if (java.awt.Desktop.isDesktopSupported()
                    && java.awt.Desktop.getDesktop().isSupported(java.awt.Desktop.Action.BROWSE)) {
                java.awt.Desktop.getDesktop().browse(url);
                return;
            }
        } catch (IOException | UnsupportedOperationException e) {
            // fall through to the message
        }
        log.println("--open: no desktop browser can be started from here; open " + url + " yourself");
    }

    static final String CHECKPOINT = "checkpoint.nnlab", MODEL = "model.nnlab";

    private Map<String, String> settings(long totalSteps) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("lab.dataset", dataset);
        m.put("lab.batch", String.valueOf(batch));
        m.put("lab.seed", String.valueOf(seed));
        m.put("lab.optimizer", optimizer);
        m.put("lab.adadelta-eps", String.valueOf(adadeltaEps));
        m.put("lab.l2", String.valueOf(l2));
        m.put("lab.train-limit", trainLimit == null ? "" : String.valueOf(trainLimit));
        m.put("lab.test-limit", testLimit == null ? "" : String.valueOf(testLimit));
        m.put("lab.average-last", String.valueOf(averageLast));
        m.put("lab.total-steps", String.valueOf(totalSteps));
        return m;
    }

    /** A resumed run keeps its settings: giving a different one is an error, not silently ignored. */
    private void adoptSettings(Map<String, String> saved) {
        for (String option : RUN_SETTINGS) {
            if (spec.commandLine().getParseResult().hasMatchedOption(option)) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--resume continues with the run's saved "
                        + "settings; " + option + " cannot be given with it (only --steps, --epochs, --threads, --out "
                        + "and output options can)");
            }
        }
        String missing = RUN_SETTINGS.stream().filter(o -> !saved.containsKey("lab." + o.substring(2)))
                .findFirst().orElse(null);
        if (missing != null || !saved.containsKey("lab.total-steps")) {
            throw new IllegalArgumentException(resume.resolve(CHECKPOINT) + " was not written by the lab (no "
                    + (missing != null ? "lab." + missing.substring(2) : "lab.total-steps") + " in its metadata)");
        }
        dataset = saved.get("lab.dataset");
        batch = Integer.parseInt(saved.get("lab.batch"));
        seed = Long.parseLong(saved.get("lab.seed"));
        optimizer = saved.get("lab.optimizer");
        adadeltaEps = Double.parseDouble(saved.get("lab.adadelta-eps"));
        l2 = Double.parseDouble(saved.get("lab.l2"));
        trainLimit = saved.get("lab.train-limit").isEmpty() ? null : Integer.valueOf(saved.get("lab.train-limit"));
        testLimit = saved.get("lab.test-limit").isEmpty() ? null : Integer.valueOf(saved.get("lab.test-limit"));
        averageLast = Long.parseLong(saved.get("lab.average-last"));
        validate();
    }

    /** --evaluate: the saved model on the test set, centre crop and 4-crop, as one JSON line. */
    private int evaluateModel() throws IOException {
        ModelFile model = ModelFile.load(evaluate);
        Net net = model.net();
        if (!net.inputShape().equals(new org.nnlab.tensor.Shape(24, 24, 1)) || net.outputShape().size() != 10) {
            throw new IllegalArgumentException(evaluate + " takes " + net.inputShape() + " and gives "
                    + net.outputShape().size() + " classes; the lab's models take 24x24x1 crops and give 10");
        }
        boolean fashion = "fashion-mnist".equals(model.metadata().get("dataset")) || dataset.equals("fashion");
        DatasetFiles files = fashion ? FashionMnist.FILES : Mnist.FILES;
        MnistDataset test = MnistSplits.load(files, locateData(files, fashion)).test()
                .withScaling(MnistDataset.Scaling.CENTERED).withCrop(24);
        if (testLimit != null) {
            test = test.subset(0, Math.min(testLimit, test.size()));
        }
        Evaluation e = Trainer.builder(net, new Adadelta()).threads(threads).build().evaluate(test);
        double fourCrop = MultiCrop.accuracy(net, test);
        log.printf(Locale.ROOT, "%s (%s, %d parameters): %.2f %% on %d test images (centre crop), %.2f %% "
                + "(4-crop average)%n", evaluate, model.writtenBy(), net.parameterCount(), 100 * e.accuracy(),
                test.size(), 100 * fourCrop);
        System.out.println(new Json()
                .put("model", evaluate.toString())
                .put("dataset", fashion ? "fashion-mnist" : "mnist")
                .put("params", net.parameterCount())
                .put("test_examples", test.size())
                .put("test_accuracy", e.accuracy())
                .put("test_accuracy_4crop", fourCrop)
                .put("test_loss", e.loss()));
        return 0;
    }

    private void writeReport(Path dir, RunRecorder recorder, Evaluation full, Json summary, MnistDataset samples,
                             Net net) throws IOException {
        Samples s = Samples.predict(net, samples);
        new Report(dir).write(recorder, full, summary.toString(), "nnlab MNIST lab", s.images(), s.side(),
                s.predicted(), s.actual(), samples.classNames());
    }

    private void validate() {
        check(epochs == null || epochs >= 0, "--epochs must be >= 0, got " + epochs);
        check(port >= 0 && port <= 65535, "--port must be in [0, 65535], got " + port);
        check(checkpointEvery >= 0, "--checkpoint-every must be >= 0, got " + checkpointEvery);
        check(resume == null || evaluate == null, "--resume and --evaluate cannot be combined");
        check(steps == null || steps >= 0, "--steps must be >= 0, got " + steps);
        check(batch >= 1 && batch <= 4096, "--batch must be in [1, 4096], got " + batch);
        check(threads >= 1 && threads <= 256, "--threads must be in [1, 256], got " + threads);
        check(l2 >= 0 && Double.isFinite(l2), "--l2 must be finite and >= 0, got " + l2);
        check(adadeltaEps > 0 && adadeltaEps < 1, "--adadelta-eps must be in (0, 1), got " + adadeltaEps);
        check(dataset.equals("mnist") || dataset.equals("fashion"), "--dataset must be mnist or fashion, got " + dataset);
        check(List.of("adadelta", "adam", "adagrad", "sgd").contains(optimizer),
                "--optimizer must be adadelta, adam, adagrad or sgd, got " + optimizer);
        check(trainLimit == null || trainLimit >= 1, "--train-limit must be >= 1, got " + trainLimit);
        check(testLimit == null || testLimit >= 1, "--test-limit must be >= 1, got " + testLimit);
        check(averageLast >= 0, "--average-last must be >= 0, got " + averageLast);
    }

    private void check(boolean ok, String message) {
        if (!ok) {
            throw new CommandLine.ParameterException(spec.commandLine(), message);
        }
    }

    private Optimizer optimizer() {
        return switch (optimizer) {
            case "adam" -> new Adam(0.001);
            case "adagrad" -> new Adagrad(0.01);
            case "sgd" -> new Sgd(0.01, 0.9, false);
            default -> new Adadelta(0.95, adadeltaEps); // rho 0.95 as ConvNetJS
        };
    }

    /** --data, else MNIST_DIR (MNIST only), else the cache if it has the files, else a verified fetch. */
    private Path locateData(DatasetFiles files, boolean fashion) throws IOException {
        if (data != null) {
            log.println("data: " + data + " (--data)");
            return data;
        }
        String env = fashion ? null : System.getenv("MNIST_DIR");
        if (env != null && !env.isBlank()) {
            log.println("data: " + env + " (MNIST_DIR)");
            return Path.of(env);
        }
        Path cache = files.defaultCacheDir();
        boolean cached = files.files().stream().allMatch(f -> DatasetFiles.find(cache, f).isPresent());
        if (cached) {
            log.println("data: " + cache + " (cache)");
            return cache;
        }
        log.println("data: " + files.name() + " is not in --data, " + (fashion ? "" : "MNIST_DIR, ")
                + "or the cache " + cache + "; fetching it (checksums verified)");
        Files.createDirectories(cache);
        return new Fetcher(line -> log.println("  " + line)).fetch(files, cache);
    }
}
