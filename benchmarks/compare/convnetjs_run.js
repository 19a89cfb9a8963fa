// ConvNetJS's side of benchmarks/compare.sh: the lab net exactly as its MNIST demo defines it,
// trained one example at a time as ConvNetJS does (its trainer batches internally).
// Usage: node convnetjs_run.js MNIST_DIR SECONDS   Prints: convnetjs train 20 1 EXAMPLES_PER_S
const fs = require('fs');
const path = require('path');
const zlib = require('zlib');
const convnetjs = require('convnetjs');

function readImages(dir) {
  for (const name of ['train-images-idx3-ubyte', 'train-images-idx3-ubyte.gz']) {
    const p = path.join(dir, name);
    if (fs.existsSync(p)) {
      let raw = fs.readFileSync(p);
      if (raw[0] === 0x1f && raw[1] === 0x8b) raw = zlib.gunzipSync(raw);
      return { count: raw.readUInt32BE(4), pixels: raw.subarray(16) };
    }
  }
  throw new Error('no train-images-idx3-ubyte(.gz) in ' + dir);
}

const [dir, secondsArg] = process.argv.slice(2);
const seconds = parseFloat(secondsArg);
const data = readImages(dir);
const layers = [
  { type: 'input', out_sx: 24, out_sy: 24, out_depth: 1 },
  { type: 'conv', sx: 5, filters: 8, stride: 1, pad: 2, activation: 'relu' },
  { type: 'pool', sx: 2, stride: 2 },
  { type: 'conv', sx: 5, filters: 16, stride: 1, pad: 2, activation: 'relu' },
  { type: 'pool', sx: 3, stride: 3 },
  { type: 'softmax', num_classes: 10 },
];
const net = new convnetjs.Net();
net.makeLayers(layers);
const trainer = new convnetjs.SGDTrainer(net, { method: 'adadelta', batch_size: 20, l2_decay: 0.001, eps: 1e-6 });

function example() {
  const i = Math.floor(Math.random() * data.count);
  const v = new convnetjs.Vol(28, 28, 1, 0.0);
  for (let j = 0; j < 784; j++) v.w[j] = data.pixels[i * 784 + j] / 255.0 - 0.5;
  const dx = Math.floor(Math.random() * 5), dy = Math.floor(Math.random() * 5);
  return { x: convnetjs.augment(v, 24, dx, dy, false), y: Math.floor(Math.random() * 10) };
}

function trainFor(duration) {
  let count = 0;
  const start = process.hrtime.bigint();
  while (Number(process.hrtime.bigint() - start) / 1e9 < duration) {
    const e = example();
    trainer.train(e.x, e.y);
    count++;
  }
  return count / (Number(process.hrtime.bigint() - start) / 1e9);
}

trainFor(1.5);
console.log('convnetjs train 20 1 ' + trainFor(seconds).toFixed(1));
