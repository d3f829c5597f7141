"""The native peer for `npm run bench -- --peer`: the same models, batch sizes and images,
trained in PyTorch on the CPU, so the browser's figures can be read as ratios.

Reads the app's own data files (public/data/*/…-idx?-ubyte.gz), builds the presets the
bench trains (the quickstart MLP and the Fashion CNN, with Keras's parameter counts), trains
each for two epochs with Adam (lr 0.001) and prints one JSON object: the second epoch's
samples per second per plan, as the browser bench measures them. Never part of the app.

Usage: python3 scripts/peer.py '[{"model": "quickstart", "batchSize": 32, "images": 6000}]'
"""

import gzip
import json
import os
import platform
import struct
import sys
import time

import numpy as np
import torch
from torch import nn

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "public", "data")
DATASETS = {"quickstart": "mnist", "fashionCnn": "fashion-mnist"}
THREADS = int(os.environ.get("PEER_THREADS", str(os.cpu_count() or 1)))


def read_idx(path):
    """An IDX file's array: magic 0x0000 08 NN, NN big-endian uint32 dimensions, then bytes."""
    with gzip.open(path, "rb") as f:
        data = f.read()
    dims = data[3]
    shape = struct.unpack(">" + "I" * dims, data[4 : 4 + 4 * dims])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def load(dataset, images):
    x = read_idx(os.path.join(ROOT, dataset, "train-images-idx3-ubyte.gz"))[:images]
    y = read_idx(os.path.join(ROOT, dataset, "train-labels-idx1-ubyte.gz"))[:images]
    return torch.from_numpy(x.astype(np.float32) / 255.0).unsqueeze(1), torch.from_numpy(y.astype(np.int64))


def build(model):
    if model == "quickstart":
        return nn.Sequential(nn.Flatten(), nn.Linear(784, 128), nn.ReLU(), nn.Linear(128, 10))
    if model == "fashionCnn":
        return nn.Sequential(
            nn.Conv2d(1, 32, 2), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(32, 32, 2), nn.ReLU(), nn.MaxPool2d(2),
            nn.Flatten(), nn.Linear(32 * 6 * 6, 256), nn.ReLU(), nn.Linear(256, 10),
        )
    raise ValueError(f"unknown model {model!r}")


def epoch(net, optimizer, x, y, batch_size):
    """One shuffled epoch; the softmax + sparse cross-entropy of the presets is log-softmax + NLL."""
    loss_fn = nn.CrossEntropyLoss()
    order = torch.randperm(len(x))
    started = time.perf_counter()
    for i in range(0, len(x), batch_size):
        idx = order[i : i + batch_size]
        optimizer.zero_grad()
        loss = loss_fn(net(x[idx]), y[idx])
        loss.backward()
        optimizer.step()
    return len(x) / (time.perf_counter() - started)


def measure(plan):
    torch.manual_seed(42)
    x, y = load(DATASETS[plan["model"]], plan["images"])
    net = build(plan["model"])
    params = sum(p.numel() for p in net.parameters())
    optimizer = torch.optim.Adam(net.parameters(), lr=0.001)
    epoch(net, optimizer, x, y, plan["batchSize"])
    samples_per_second = epoch(net, optimizer, x, y, plan["batchSize"])
    return {**plan, "params": params, "samplesPerSecond": samples_per_second}


def main():
    torch.set_num_threads(THREADS)
    plans = json.loads(sys.argv[1])
    results = [measure(plan) for plan in plans]
    print(json.dumps({"framework": f"PyTorch {torch.__version__}", "threads": THREADS, "python": platform.python_version(), "results": results}))


if __name__ == "__main__":
    main()
