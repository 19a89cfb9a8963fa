// The live lab page: one EventSource for the numbers, fetch() for the controls, drawing and activations.
'use strict';
const $ = (id) => document.getElementById(id);
const state = { losses: [[], [], []], evals: [[], []], labels: [], images: [], predictions: null,
  chosen: 0, generation: -1, paused: false, log: false, lossChart: null, accChart: null, lastActivations: 0 };

function chartWidth(el) { return Math.max(300, el.clientWidth - 8); }

function makeCharts() {
  const lossEl = $('loss-chart'), accEl = $('accuracy-chart');
  lossEl.innerHTML = ''; accEl.innerHTML = '';
  state.lossChart = new uPlot({ width: chartWidth(lossEl), height: 240,
    scales: { x: { time: false }, y: state.log ? { distr: 3 } : {} },
    series: [{ label: 'step' }, { label: 'loss', stroke: '#9bb', width: 1 },
      { label: 'smoothed', stroke: '#c33', width: 2 }],
    axes: [{ label: 'step' }, {}] }, state.losses, lossEl);
  state.accChart = new uPlot({ width: chartWidth(accEl), height: 240, scales: { x: { time: false } },
    series: [{ label: 'step' }, { label: 'accuracy %', stroke: '#36c', width: 2, points: { show: true } }],
    axes: [{ label: 'step' }, {}] }, state.evals, accEl);
}

function addLosses(points) {
  for (const p of points) {
    if (p[1] === null) continue;
    state.losses[0].push(p[0]); state.losses[1].push(Math.max(p[1], 1e-6)); state.losses[2].push(Math.max(p[2], 1e-6));
  }
}

function addEvals(evals) {
  for (const e of evals) { state.evals[0].push(e[0]); state.evals[1].push(100 * e[1]); }
}

function showStatus(d) {
  const s = d.status;
  $('state').textContent = s.state;
  $('step').textContent = s.step;
  $('total').textContent = s.totalSteps;
  $('epoch').textContent = s.epoch;
  $('speed').textContent = s.examplesPerSecond;
  state.paused = s.state === 'paused';
  $('pause').textContent = state.paused ? 'Resume' : 'Pause';
  $('pause').disabled = $('reset').disabled = s.state === 'finished';
  if (state.evals[1].length) $('accuracy').textContent = state.evals[1][state.evals[1].length - 1].toFixed(2) + ' %';
  if (d.final) {
    const f = d.final;
    $('final').hidden = false;
    $('final').textContent = 'Training finished: ' + (100 * f.test_accuracy).toFixed(2) + ' % on ' + f.test_examples
      + ' test images (centre crop), ' + (100 * f.test_accuracy_4crop).toFixed(2) + ' % (4-crop average), after '
      + f.steps + ' steps in ' + f.train_seconds.toFixed(1) + ' s of training. Drawing still works.';
  }
}

function gray(canvas, values, w, h, lo, hi) {
  canvas.width = w; canvas.height = h;
  const ctx = canvas.getContext('2d'), img = ctx.createImageData(w, h), span = (hi - lo) || 1;
  for (let i = 0; i < w * h; i++) {
    const v = Math.round(255 * Math.min(1, Math.max(0, (values[i] - lo) / span)));
    img.data[4 * i] = img.data[4 * i + 1] = img.data[4 * i + 2] = v; img.data[4 * i + 3] = 255;
  }
  ctx.putImageData(img, 0, 0);
}

function range(a, from, to) {
  let lo = Infinity, hi = -Infinity;
  for (let i = from; i < to; i++) { lo = Math.min(lo, a[i]); hi = Math.max(hi, a[i]); }
  return [lo, hi];
}

function showSamples() {
  const box = $('samples');
  if (box.children.length !== state.images.length) {
    box.innerHTML = '';
    state.images.forEach((pixels, i) => {
      const div = document.createElement('div'), c = document.createElement('canvas'), cap = document.createElement('div');
      div.className = 'sample'; div.dataset.index = i;
      gray(c, pixels, 28, 28, 0, 255);
      div.append(c, cap);
      div.onclick = () => { state.chosen = i; loadActivations(); };
      box.append(div);
    });
  }
  [...box.children].forEach((div, i) => {
    const label = state.labels[i], p = state.predictions ? state.predictions[i] : null;
    div.classList.toggle('right', p === label);
    div.classList.toggle('wrong', p !== null && p !== label);
    div.classList.toggle('chosen', i === state.chosen);
    div.dataset.predicted = p === null ? '' : p;
    div.lastChild.textContent = p === null ? '?' : p === label ? p + ' ✓' : p + ' ✗ (' + label + ')';
  });
}

function showFilters(f) {
  const box = $('filters'), [n, c, k] = f.shape, per = c * k * k;
  box.innerHTML = '';
  for (let i = 0; i < n; i++) {
    const canvas = document.createElement('canvas'), w = f.data.slice(i * per, i * per + k * k), [lo, hi] = range(w, 0, w.length);
    gray(canvas, w, k, k, lo, hi);
    box.append(canvas);
  }
}

function showConfusion(m) {
  const t = $('confusion');
  let html = '<tr><th></th>' + m.map((_, j) => '<th>' + j + '</th>').join('') + '</tr>';
  m.forEach((row, i) => {
    html += '<tr><th>' + i + '</th>' + row.map((v, j) => '<td class="' + (i === j ? 'diag' : v ? 'off' : '') + '">' + v + '</td>').join('') + '</tr>';
  });
  t.innerHTML = html;
}

async function loadActivations() {
  showSamples();
  $('act-index').textContent = state.chosen;
  const r = await fetch('/api/activations?sample=' + state.chosen);
  if (!r.ok) return;
  const d = await r.json(), box = $('activations');
  box.innerHTML = '';
  const layers = [{ type: 'Input', shape: d.inputShape, data: d.input }, ...d.layers];
  for (const layer of layers) {
    const [h, w, c] = layer.shape, div = document.createElement('div');
    div.className = 'layer';
    div.append(document.createTextNode(layer.type + ' ' + h + 'x' + w + 'x' + c + ' '));
    if (h === 1 && w === 1) { // a vector: one strip
      const canvas = document.createElement('canvas'), [lo, hi] = range(layer.data, 0, c);
      gray(canvas, layer.data, c, 1, lo, hi); canvas.style.width = (c * 12) + 'px'; canvas.style.height = '12px';
      div.append(canvas);
    } else {
      for (let ch = 0; ch < c; ch++) {
        const canvas = document.createElement('canvas'), from = ch * h * w, [lo, hi] = range(layer.data, from, from + h * w);
        gray(canvas, layer.data.slice(from, from + h * w), w, h, lo, hi);
        div.append(canvas);
      }
    }
    box.append(div);
  }
}

function apply(d, fresh) {
  if (fresh) {
    state.losses = [[], [], []]; state.evals = [[], []];
    state.labels = d.samples.labels; state.images = d.samples.images; state.generation = d.generation;
    $('final').hidden = true;
    $('accuracy').textContent = '–';
  }
  addLosses(d.losses); addEvals(d.evaluations);
  if (fresh) makeCharts(); else { state.lossChart.setData(state.losses); state.accChart.setData(state.evals); }
  if (d.predictions) state.predictions = d.predictions;
  showStatus(d); showSamples();
  if (d.filters) showFilters(d.filters);
  if (d.confusion) showConfusion(d.confusion);
  if (fresh || (d.evaluations.length && Date.now() - state.lastActivations > 2000)) {
    state.lastActivations = Date.now(); loadActivations();
  }
}

function connect() {
  const events = new EventSource('/events');
  events.addEventListener('snapshot', (e) => apply(JSON.parse(e.data), true));
  events.addEventListener('update', (e) => apply(JSON.parse(e.data), false));
  events.onerror = () => { $('state').textContent = 'disconnected (retrying)'; };
}

async function post(path) {
  const r = await fetch(path, { method: 'POST' });
  if (r.ok) $('state').textContent = (await r.json()).state;
}

// ---- drawing ----
const draw = $('draw'), pen = draw.getContext('2d');
let drawing = false, last = null, pending = null;
function clearDrawing() {
  pen.fillStyle = '#000'; pen.fillRect(0, 0, draw.width, draw.height);
  $('probabilities').innerHTML = ''; gray($('drawn'), new Array(784).fill(0), 28, 28, 0, 1);
}
function stroke(e) {
  const r = draw.getBoundingClientRect(), p = [(e.clientX - r.left) * draw.width / r.width, (e.clientY - r.top) * draw.height / r.height];
  pen.strokeStyle = '#fff'; pen.lineWidth = 22; pen.lineCap = 'round';
  pen.beginPath(); pen.moveTo(...(last || p)); pen.lineTo(...p); pen.stroke();
  last = p;
  if (!pending) pending = setTimeout(predict, 80);
}
async function predict() {
  pending = null;
  const data = pen.getImageData(0, 0, draw.width, draw.height).data, cell = draw.width / 28, ink = [];
  for (let y = 0; y < 28; y++) for (let x = 0; x < 28; x++) {
    let sum = 0;
    for (let dy = 0; dy < cell; dy++) for (let dx = 0; dx < cell; dx++) sum += data[4 * ((y * cell + dy) * draw.width + x * cell + dx)];
    ink.push(+(sum / (cell * cell * 255)).toFixed(4));
  }
  const r = await fetch('/api/predict', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(ink) });
  if (!r.ok) return;
  const d = await r.json(), box = $('probabilities');
  gray($('drawn'), d.image, 28, 28, 0, 1);
  box.innerHTML = '';
  box.dataset.sum = d.probabilities.reduce((a, b) => a + b, 0);
  box.dataset.digit = d.digit;
  d.probabilities.forEach((p, k) => {
    const row = document.createElement('div');
    row.className = 'bar' + (k === d.digit ? ' best' : '');
    row.innerHTML = '<span>' + k + '</span><span class="fill" style="width:' + (200 * p).toFixed(1) + 'px"></span><span>' + (100 * p).toFixed(1) + ' %</span>';
    box.append(row);
  });
}
draw.addEventListener('pointerdown', (e) => { drawing = true; last = null; draw.setPointerCapture(e.pointerId); stroke(e); });
draw.addEventListener('pointermove', (e) => { if (drawing) stroke(e); });
draw.addEventListener('pointerup', () => { drawing = false; last = null; });
$('clear').onclick = clearDrawing;
$('pause').onclick = () => post(state.paused ? '/api/resume' : '/api/pause');
$('reset').onclick = () => post('/api/reset');
$('logscale').onchange = (e) => { state.log = e.target.checked; makeCharts(); };
clearDrawing();
connect();
