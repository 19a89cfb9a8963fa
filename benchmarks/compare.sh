#!/usr/bin/env bash
# Side by side: the lab net on the same MNIST data, batch, crops and Adadelta settings in nnlab,
# ConvNetJS (npm "convnetjs" under node) and PyTorch CPU (Debian's python3-torch), alternating the
# three, several repeats, median training (and inference) examples/s and the ratios nnlab / peer.
#
#   benchmarks/compare.sh [--with-pytorch] [--with-vector] [--repeats N] [--seconds S]
#
# --with-vector also runs nnlab with --add-modules jdk.incubator.vector (the opt-in Vector API kernel)
# as a fourth contender, "nnlab-vector".
#
# Prints the table and writes the raw rates to benchmarks/.compare/results.txt and a bar chart to
# benchmarks/.compare/compare.png.
#
# Needs: a built benchmarks jar (./mvnw -q -DskipTests package), MNIST in MNIST_DIR or nnlab's cache,
# node + npm (convnetjs is installed into benchmarks/.compare/, which git ignores). --with-pytorch
# installs python3-torch with apt-get if /usr/bin/python3 cannot import torch (needs root).
# Run on a quiet machine: PyTorch's OpenMP threads spin, and a busy second core wrecks its 2-thread numbers.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
repeats=3 seconds=4 with_pytorch=0 with_vector=0
while [ $# -gt 0 ]; do
  case "$1" in
    --with-pytorch) with_pytorch=1 ;;
    --with-vector) with_vector=1 ;;
    --repeats) repeats="$2"; shift ;;
    --seconds) seconds="$2"; shift ;;
    -h|--help) sed -n '2,18p' "$0"; exit 0 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
  shift
done

jar="$root/benchmarks/target/benchmarks.jar"
[ -f "$jar" ] || { echo "build first: ./mvnw -q -DskipTests package" >&2; exit 1; }
data="${MNIST_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/nnlab/mnist}"
[ -d "$data" ] || { echo "no MNIST in $data: set MNIST_DIR or run the lab once (it fetches MNIST)" >&2; exit 1; }

work="$here/.compare"
mkdir -p "$work"
if [ ! -d "$work/node_modules/convnetjs" ]; then
  (cd "$work" && npm install --silent --no-audit --no-fund convnetjs@0.3.0 >/dev/null)
fi
if [ "$with_pytorch" = 1 ] && ! /usr/bin/python3 -c 'import torch' 2>/dev/null; then
  apt-get install -y python3-torch >/dev/null
fi
have_torch=0
/usr/bin/python3 -c 'import torch' 2>/dev/null && have_torch=1

results="$work/results.txt"
: > "$results"
configs=("train 1 1" "train 20 1" "train 20 2" "train 64 1" "train 64 2" "infer 1 1" "infer 1000 1" "infer 1000 2")
for r in $(seq 1 "$repeats"); do
  echo "repeat $r of $repeats" >&2
  for c in "${configs[@]}"; do
    set -- $c
    java -cp "$jar" org.nnlab.bench.CompareRun "$data" "$1" "$2" "$3" "$seconds" >> "$results"
    if [ "$with_vector" = 1 ]; then
      java --add-modules jdk.incubator.vector -cp "$jar" org.nnlab.bench.CompareRun "$data" "$1" "$2" "$3" \
        "$seconds" 2>/dev/null >> "$results"
    fi
    if [ "$have_torch" = 1 ]; then
      OMP_NUM_THREADS="$3" /usr/bin/python3 "$here/compare/torch_run.py" "$data" "$1" "$2" "$3" "$seconds" >> "$results"
    fi
  done
  NODE_PATH="$work/node_modules" node "$here/compare/convnetjs_run.js" "$data" "$seconds" >> "$results"
done

python3 - "$results" <<'PY'
import statistics, sys
rows = {}
for line in open(sys.argv[1]):
    who, mode, batch, threads, rate = line.split()
    rows.setdefault((mode, int(batch), int(threads)), {}).setdefault(who, []).append(float(rate))
vec = any("nnlab-vector" in r for r in rows.values())
print("%-6s %6s %7s %12s %12s %12s %9s %9s" % ("mode", "batch", "threads", "nnlab", "pytorch", "convnetjs",
                                                  "/pytorch", "/convnetjs")
      + ("  %12s %9s" % ("nnlab-vector", "/pytorch") if vec else ""))
cj = statistics.median(rows.get(("train", 20, 1), {}).get("convnetjs", [float("nan")]))
for key in sorted(rows):
    r = rows[key]
    med = {k: statistics.median(v) for k, v in r.items()}
    n, p = med.get("nnlab"), med.get("pytorch")
    c = cj if key[0] == "train" else None
    v = med.get("nnlab-vector")
    print("%-6s %6d %7d %12.0f %12s %12s %9s %9s" % (key[0], key[1], key[2], n,
          "%.0f" % p if p else "-", "%.0f" % c if c else "-",
          "%.2fx" % (n / p) if p else "-", "%.1fx" % (n / c) if c else "-")
          + ("  %12.0f %9s" % (v, "%.2fx" % (v / p) if p else "-") if vec and v else ""))
print("medians of examples/s; ConvNetJS trains one example at a time on one thread (its batch 20 is internal)")
PY
java -cp "$jar" org.nnlab.bench.Plots compare "$results" "$work/compare.png"
