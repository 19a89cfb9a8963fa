"""PyTorch's side of benchmarks/compare.sh: the lab net, same data, crops and Adadelta settings.

Usage: /usr/bin/python3 torch_run.py MNIST_DIR train|infer BATCH THREADS SECONDS
Prints: pytorch train|infer BATCH THREADS EXAMPLES_PER_S
"""
import gzip
import os
import sys
import time

import numpy as np
import torch
from torch import nn


def read_images(directory):
    for name in ("train-images-idx3-ubyte", "train-images-idx3-ubyte.gz"):
        path = os.path.join(directory, name)
        if os.path.exists(path):
            raw = open(path, "rb").read()
            if raw[:2] == b"\x1f\x8b":
                raw = gzip.decompress(raw)
            count = int.from_bytes(raw[4:8], "big")
            return np.frombuffer(raw, dtype=np.uint8, offset=16).reshape(count, 28, 28)
    raise SystemExit("no train-images-idx3-ubyte(.gz) in " + directory)


def main():
    directory, mode, batch, threads, seconds = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5])
    torch.set_num_threads(threads)
    torch.manual_seed(1)
    rng = np.random.default_rng(1)
    images = read_images(directory).astype(np.float32) / 255.0 - 0.5
    labels = rng.integers(0, 10, size=images.shape[0])  # labels do not change the cost
    net = nn.Sequential(
        nn.Conv2d(1, 8, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(8, 16, 5, padding=2), nn.ReLU(), nn.MaxPool2d(3),
        nn.Flatten(), nn.Linear(256, 10))
    decay = [p for n, p in net.named_parameters() if n.endswith("weight")]
    biases = [p for n, p in net.named_parameters() if n.endswith("bias")]
    opt = torch.optim.Adadelta([{"params": decay, "weight_decay": 0.001 / batch},
                                {"params": biases, "weight_decay": 0.0}], lr=1.0, rho=0.95, eps=1e-6)
    loss_fn = nn.CrossEntropyLoss()
    x = torch.empty(batch, 1, 24, 24)
    y = torch.empty(batch, dtype=torch.long)

    def fill():
        idx = rng.integers(0, images.shape[0], size=batch)
        dx = rng.integers(0, 5, size=batch)
        dy = rng.integers(0, 5, size=batch)
        for i in range(batch):
            x[i, 0] = torch.from_numpy(images[idx[i], dy[i]:dy[i] + 24, dx[i]:dx[i] + 24])
            y[i] = int(labels[idx[i]])

    def train_for(duration):
        count, start = 0, time.perf_counter()
        while time.perf_counter() - start < duration:
            fill()
            opt.zero_grad(set_to_none=False)
            loss = loss_fn(net(x), y)
            loss.backward()
            opt.step()
            count += batch
        return count / (time.perf_counter() - start)

    if mode == "train":
        train_for(1.5)
        rate = train_for(seconds)
    else:
        fill()
        net.eval()
        with torch.no_grad():
            start = time.perf_counter()
            while time.perf_counter() - start < 1.5:
                net(x)
            count, start = 0, time.perf_counter()
            while time.perf_counter() - start < seconds:
                net(x)
                count += batch
            rate = count / (time.perf_counter() - start)
    print("pytorch %s %d %d %.1f" % (mode, batch, threads, rate))


if __name__ == "__main__":
    main()
