// Generates small-net.json, the ConvNetJS fixture of ConvNetJsTest, with the npm package convnetjs 0.3.0:
//   npm install --prefix /tmp/cjs convnetjs@0.3.0
//   NODE_PATH=/tmp/cjs/node_modules node make-fixture.js > small-net.json
// Checks a net exported by nnlab the other way round (prints ConvNetJS's probabilities for the inputs):
//   NODE_PATH=/tmp/cjs/node_modules node make-fixture.js check exported.json small-net.json
// The net is non-square (height 7, width 6, 2 channels) so any x/y or channel mix-up shows.
const convnetjs = require('convnetjs');
const fs = require('fs');

function lcg(seed) { let s = seed >>> 0; return () => (s = (1664525 * s + 1013904223) >>> 0) / 4294967296; }

if (process.argv[2] === 'check') {
  const net = new convnetjs.Net();
  net.fromJSON(JSON.parse(fs.readFileSync(process.argv[3], 'utf8')));
  const fixture = JSON.parse(fs.readFileSync(process.argv[4], 'utf8'));
  for (const x of fixture.inputs) {
    const v = new convnetjs.Vol(6, 7, 2, 0.0);
    for (let i = 0; i < x.length; i++) v.w[i] = x[i];
    console.log(JSON.stringify(Array.from(net.forward(v, false).w)));
  }
  process.exit(0);
}

Math.random = lcg(12345); // ConvNetJS initialises with Math.random; pin it so the fixture is reproducible
const net = new convnetjs.Net();
net.makeLayers([
  {type: 'input', out_sx: 6, out_sy: 7, out_depth: 2},
  {type: 'conv', sx: 3, filters: 4, stride: 1, pad: 1, activation: 'relu'},
  {type: 'pool', sx: 2, stride: 2},
  {type: 'conv', sx: 3, filters: 5, stride: 2, pad: 1, activation: 'tanh'},
  {type: 'fc', num_neurons: 6, activation: 'sigmoid'},
  {type: 'softmax', num_classes: 3},
]);
const trainer = new convnetjs.Trainer(net, {method: 'adadelta', batch_size: 1, l2_decay: 0.001});
const rnd = lcg(7);
const inputs = [];
for (let n = 0; n < 4; n++) {
  const x = [];
  for (let i = 0; i < 6 * 7 * 2; i++) x.push(Math.round((rnd() - 0.5) * 1000) / 1000);
  inputs.push(x);
}
for (let step = 0; step < 40; step++) { // a little training, so weights and biases are not the initial ones
  const x = inputs[step % 4];
  const v = new convnetjs.Vol(6, 7, 2, 0.0);
  for (let i = 0; i < x.length; i++) v.w[i] = x[i];
  trainer.train(v, step % 3);
}
const outputs = inputs.map(x => {
  const v = new convnetjs.Vol(6, 7, 2, 0.0);
  for (let i = 0; i < x.length; i++) v.w[i] = x[i];
  return Array.from(net.forward(v, false).w);
});
console.log(JSON.stringify({generator: 'make-fixture.js with convnetjs 0.3.0', layout: 'inputs in ConvNetJS order ((6*y)+x)*2+d',
  inputs, outputs, net: net.toJSON()}));
