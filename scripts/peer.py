"""The native peer for `npm run bench -- --peer`: the same models, batch sizes and images,
trained in PyTorch on the CPU, so the browser's figures can be read as ratios.

Reads the app's own data files (public/data/*/…-idx?-ubyte.gz), builds the presets the
bench trains (the quickstart MLP and the Fashion CNN, with Keras's parameter counts), trains
each with Adam (lr 0.001) for one untimed epoch and then `timedEpochs` timed ones, on one
thread and on every core (PyTorch's default; `PEER_THREADS=n` times n only), and prints one
JSON object: per plan and thread count, each timed epoch's samples per second and their
median, as the browser bench measures them, and the faster count's figures as the plan's.
Never part of the app.

Usage: python3 scripts/peer.py '[{"model": "quickstart", "batchSize": 32, "images": 6000, "timedEpochs": 5}]'

With --accuracy it trains our strongest preset instead, as the playground does (Keras's
initialisers, BatchNorm momentum 0.9 and epsilon 1e-3, Adam 1e-3 with epsilon 1e-7 and the
rate multiplied by 0.85 after each epoch, batch 128, the last 10% held out for validation,
random shifts of up to 2 pixels, 15 epochs) and
prints each epoch's validation and test accuracy as JSON lines: the reference to hold the
browser's run against (`npm run parity -- --presets strongest`).

Usage: python3 scripts/peer.py --accuracy strongest mnist|fashion-mnist [epochs]
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
DATASETS = {"quickstart": "mnist", "fashionCnn": "fashion-mnist", "strongest": "mnist"}
# The cores this process may run on (its affinity), which a container can hold below the machine's count.
CORES = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
THREADS = int(os.environ.get("PEER_THREADS", str(CORES)))
# The thread counts each plan is timed at: one (as the browser's WASM trains) and PyTorch's
# default, every core. The figure is the faster: on the 2-core VM two threads ran the
# quickstart MLP at a third of one thread's speed, with epochs from 7,000 to 100,000 samples/s.
THREAD_COUNTS = [THREADS] if "PEER_THREADS" in os.environ else sorted({1, CORES})


def read_idx(path):
    """An IDX file's array: magic 0x0000 08 NN, NN big-endian uint32 dimensions, then bytes."""
    with gzip.open(path, "rb") as f:
        data = f.read()
    dims = data[3]
    shape = struct.unpack(">" + "I" * dims, data[4 : 4 + 4 * dims])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def load(dataset, images, split="train"):
    x = read_idx(os.path.join(ROOT, dataset, f"{split}-images-idx3-ubyte.gz"))[:images]
    y = read_idx(os.path.join(ROOT, dataset, f"{split}-labels-idx1-ubyte.gz"))[:images]
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
    if model == "strongest":
        def block(channels_in, channels):
            layers = []
            for c_in in (channels_in, channels):
                layers += [nn.Conv2d(c_in, channels, 3, padding=1), nn.ReLU(), nn.BatchNorm2d(channels, eps=1e-3, momentum=0.1)]
            return layers + [nn.MaxPool2d(2), nn.Dropout(0.25)]

        net = nn.Sequential(
            *block(1, 32), *block(32, 64), nn.Flatten(),
            nn.Linear(64 * 7 * 7, 128), nn.ReLU(), nn.BatchNorm1d(128, eps=1e-3, momentum=0.1), nn.Dropout(0.4),
            nn.Linear(128, 10),
        )
        for m in net.modules():
            if isinstance(m, (nn.Conv2d, nn.Linear)):
                nn.init.xavier_uniform_(m.weight)
                nn.init.zeros_(m.bias)
        return net
    raise ValueError(f"unknown model {model!r}")


def shifted(images, shift):
    """Each image moved by up to `shift` pixels each way, zeros coming in: pad, then crop at a random offset."""
    padded = nn.functional.pad(images, (shift, shift, shift, shift))
    offsets = torch.randint(0, 2 * shift + 1, (len(images), 2))
    h, w = images.shape[2:]
    return torch.stack([padded[i, :, dy : dy + h, dx : dx + w] for i, (dy, dx) in enumerate(offsets.tolist())])


def accuracy_run(model, dataset, epochs):
    """The strongest preset's recipe; one JSON line per epoch."""
    torch.manual_seed(42)
    x, y = load(dataset, None)
    x_test, y_test = load(dataset, None, "t10k")
    split = int(len(x) * 0.9)
    x, y, x_val, y_val = x[:split], y[:split], x[split:], y[split:]
    net = build(model)
    optimizer = torch.optim.Adam(net.parameters(), lr=0.001, eps=1e-7)
    # Keras's LearningRateScheduler(lambda epoch: 0.001 * 0.85 ** epoch), as the preset's learningRateDecay.
    schedule = torch.optim.lr_scheduler.ExponentialLR(optimizer, gamma=0.85)
    loss_fn = nn.CrossEntropyLoss()

    def evaluate(images, labels):
        net.eval()
        with torch.no_grad():
            correct = sum((net(images[i : i + 500]).argmax(1) == labels[i : i + 500]).sum().item() for i in range(0, len(images), 500))
        net.train()
        return correct / len(images)

    started = time.perf_counter()
    for number in range(1, epochs + 1):
        order = torch.randperm(len(x))
        for i in range(0, len(x), 128):
            idx = order[i : i + 128]
            optimizer.zero_grad()
            loss_fn(net(shifted(x[idx], 2)), y[idx]).backward()
            optimizer.step()
        schedule.step()
        print(json.dumps({"epoch": number, "valAccuracy": evaluate(x_val, y_val), "testAccuracy": evaluate(x_test, y_test), "minutes": (time.perf_counter() - started) / 60}), flush=True)


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


def timed(plan, x, y, threads):
    """One untimed epoch, then the timed ones, on `threads` threads, from the same seed."""
    torch.set_num_threads(threads)
    torch.manual_seed(42)
    net = build(plan["model"])
    optimizer = torch.optim.Adam(net.parameters(), lr=0.001)
    epoch(net, optimizer, x, y, plan["batchSize"])
    each = [epoch(net, optimizer, x, y, plan["batchSize"]) for _ in range(plan["timedEpochs"])]
    # The middle value, as the bench's median() takes it (the upper middle of an even count).
    return {"threads": threads, "samplesPerSecond": sorted(each)[len(each) // 2], "eachEpoch": each}


def measure(plan):
    """The plan at each thread count; its figure is the fastest's."""
    params = sum(p.numel() for p in build(plan["model"]).parameters())
    x, y = load(DATASETS[plan["model"]], plan["images"])
    by_threads = [timed(plan, x, y, threads) for threads in THREAD_COUNTS]
    best = max(by_threads, key=lambda t: t["samplesPerSecond"])
    return {**plan, "params": params, **best, "byThreads": by_threads}


def main():
    torch.set_num_threads(THREADS)
    if sys.argv[1] == "--accuracy":
        accuracy_run(sys.argv[2], sys.argv[3], int(sys.argv[4]) if len(sys.argv) > 4 else 15)
        return
    plans = json.loads(sys.argv[1])
    results = [measure(plan) for plan in plans]
    print(json.dumps({"framework": f"PyTorch {torch.__version__}", "threadCounts": THREAD_COUNTS, "python": platform.python_version(), "results": results}))


if __name__ == "__main__":
    main()
