"""PyTorch side of `npm run bench` (src/node/bench/torch.ts writes the manifest and data).

Usage: /usr/bin/python3 scripts/bench/torch_bench.py MANIFEST.json
Runs each workload on one thread in the manifest's "dtype" (float32, or float64: the same
float32 data converted, for a comparison at losslab's precision): warm-up runs, then timed runs
(value and gradient each time), and prints {"torch": version, "results": [...]} as JSON on stdout.
"""
import json
import math
import statistics
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

torch.set_num_threads(1)
# the dtype of the float tensors (main sets it from the manifest)
FLOAT = torch.float32


def tensor(path, dtype):
    t = torch.from_numpy(np.fromfile(path, dtype=dtype))
    return t.to(FLOAT) if dtype == np.float32 else t


def measure(run, warmup, reps, warmup_ms=0):
    # as src/node/bench/measure.ts: `warmup` runs, then more until warmup_ms have gone into warming up (at most 1000 more)
    last = None
    start = time.perf_counter_ns()
    for _ in range(warmup):
        last = run()
    for _ in range(1000):
        if (time.perf_counter_ns() - start) / 1e6 >= warmup_ms:
            break
        last = run()
    samples = []
    for _ in range(reps):
        t0 = time.perf_counter_ns()
        last = run()
        samples.append((time.perf_counter_ns() - t0) / 1e6)
    return {"medianMs": statistics.median(samples), "minMs": min(samples), "samplesMs": samples, "warmup": warmup, "reps": reps, "value": last}


def log_cosh(x, y):
    """Keras's log_cosh (torch has none): d + softplus(-2d) - log 2, mean over the elements."""
    d = x - y
    return (d + F.softplus(-2.0 * d) - math.log(2.0)).mean()


ELEMENTWISE = {
    "mse": F.mse_loss,
    "mae": F.l1_loss,
    "huber": F.huber_loss,
    "smoothL1": F.smooth_l1_loss,
    "logCosh": log_cosh,
    "bce": F.binary_cross_entropy,
    "bceLogits": F.binary_cross_entropy_with_logits,
}


def elementwise(w):
    x = tensor(w["x"], np.float32).requires_grad_()
    y = tensor(w["y"], np.float32)
    loss_fn = ELEMENTWISE[w["kind"]]

    def run():
        loss = loss_fn(x, y)
        (grad,) = torch.autograd.grad(loss, x)
        return loss.item()

    return measure(run, w["warmup"], w["reps"], w.get("warmupMs", 0))


def softmax_ce(w):
    logits = tensor(w["logits"], np.float32).reshape(w["rows"], w["cols"]).requires_grad_()
    labels = tensor(w["labels"], np.int32).long()

    def run():
        loss = F.cross_entropy(logits, labels)
        (grad,) = torch.autograd.grad(loss, logits)
        return loss.item()

    return measure(run, w["warmup"], w["reps"], w.get("warmupMs", 0))


def triplet(w):
    shape = (w["rows"], w["cols"])
    a, p, n = (tensor(w[k], np.float32).reshape(shape).requires_grad_() for k in ("anchor", "positive", "negative"))

    def run():
        loss = F.triplet_margin_loss(a, p, n)
        grads = torch.autograd.grad(loss, (a, p, n))
        return loss.item()

    return measure(run, w["warmup"], w["reps"], w.get("warmupMs", 0))


def giou(w):
    import torchvision.ops  # Debian's python3-torchvision; only this workload needs it

    b1 = tensor(w["boxes1"], np.float32).reshape(w["rows"], 4).requires_grad_()
    b2 = tensor(w["boxes2"], np.float32).reshape(w["rows"], 4)

    def run():
        loss = torchvision.ops.generalized_box_iou_loss(b1, b2, reduction="mean")
        (grad,) = torch.autograd.grad(loss, b1)
        return loss.item()

    return measure(run, w["warmup"], w["reps"], w.get("warmupMs", 0))


def ctc(w):
    log_probs = tensor(w["logProbs"], np.float32).reshape(w["T"], w["N"], w["C"]).requires_grad_()
    targets = tensor(w["targets"], np.int32).long().reshape(w["N"], w["S"])
    input_lengths = tensor(w["inputLengths"], np.int32).long()
    target_lengths = tensor(w["targetLengths"], np.int32).long()

    def run():
        loss = F.ctc_loss(log_probs, targets, input_lengths, target_lengths)
        (grad,) = torch.autograd.grad(loss, log_probs)
        return loss.item()

    return measure(run, w["warmup"], w["reps"], w.get("warmupMs", 0))


def mnist(w):
    d, n, bs = w["dir"], w["train"], w["batchSize"]
    images = tensor(f"{d}/mnist.train.f32", np.float32).reshape(n, 784)
    labels = tensor(f"{d}/mnist.train-labels.u8", np.uint8).long()
    perms = tensor(f"{d}/mnist.perms.i32", np.int32).long().reshape(-1, n)
    init_w = tensor(f"{d}/mnist.weight.f32", np.float32).reshape(10, 784)
    init_b = tensor(f"{d}/mnist.bias.f32", np.float32)
    model = torch.nn.Linear(784, 10).to(FLOAT)
    opt = torch.optim.SGD(model.parameters(), lr=w["lr"])

    def epoch(perm):
        total, batches = 0.0, 0
        for start in range(0, n, bs):
            idx = perm[start:start + bs]
            x, y = images[idx], labels[idx]
            opt.zero_grad()
            loss = F.cross_entropy(model(x), y)
            loss.backward()
            opt.step()
            total += loss.item()
            batches += 1
        return total / batches

    def run():
        with torch.no_grad():
            model.weight.copy_(init_w)
            model.bias.copy_(init_b)
        loss = 0.0
        for e in range(w["epochs"]):
            loss = epoch(perms[e])
        return loss

    result = measure(run, w["warmup"], w["reps"], w.get("warmupMs", 0))
    if w["kind"] == "mnist-full":
        t = w["test"]
        x = tensor(f"{d}/mnist.test.f32", np.float32).reshape(t, 784)
        y = tensor(f"{d}/mnist.test-labels.u8", np.uint8).long()
        with torch.no_grad():
            result["accuracy"] = (model(x).argmax(1) == y).sum().item() / t
    return result


def main():
    global FLOAT
    manifest = json.load(open(sys.argv[1]))
    FLOAT = {"float32": torch.float32, "float64": torch.float64}[manifest.get("dtype", "float32")]
    label = "torch" if FLOAT == torch.float32 else "torch-f64"
    results = []
    for w in manifest["workloads"]:
        kind = w["kind"]
        run = elementwise if kind in ELEMENTWISE else {"softmax-ce": softmax_ce, "triplet": triplet, "giou": giou, "ctc": ctc}.get(kind, mnist)
        result = run(w)
        print(f"  {label:<9} {w['id']:<22} {result['medianMs']:10.2f} ms {result['minMs']:10.2f} ms", file=sys.stderr, flush=True)
        results.append({"id": w["id"], **result})
    json.dump({"torch": torch.__version__, "results": results}, sys.stdout)


if __name__ == "__main__":
    main()
