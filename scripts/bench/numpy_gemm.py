#!/usr/bin/env python3
"""Times float32 matrix products with numpy (OpenBLAS) for the Swift benchmark.

    numpy_gemm.py --threads 1 --repeats 5 --min-seconds 0.1 512x512x512 64x1024x576 ...

Each shape is MxNxK: C[M x N] = A[M x K] @ B[K x N], row-major float32, as the Swift
GEMM computes it. Prints one JSON object per line:

    {"kind": "info", "numpy": "2.4.6", "blas": "...", "core": "SkylakeX", "threads": 1}
    {"kind": "gemm", "m": 512, "n": 512, "k": 512, "threads": 1, "seconds": ..., "gflops": ..., "spread": ...}

`seconds` is the median over `--repeats` runs of the time per product, each run looping
until `--min-seconds` have passed. On failure prints {"error": "..."} and exits 2.

Run it the way the benchmark does, with OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset for
this command only, so OpenBLAS picks its AVX-512 kernels:

    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE python3 scripts/bench/numpy_gemm.py ...
"""
import argparse
import glob
import json
import os
import statistics
import sys
import time


def parse_shape(text):
    try:
        m, n, k = (int(v) for v in text.lower().split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r}: expected MxNxK, e.g. 512x512x512")
    if min(m, n, k) < 1:
        raise argparse.ArgumentTypeError(f"{text!r}: sizes must be positive")
    return m, n, k


def openblas_core(np):
    """OpenBLAS's chosen kernel family (e.g. SkylakeX for AVX-512), if it can be asked."""
    import ctypes

    folder = os.path.join(os.path.dirname(os.path.dirname(np.__file__)), "numpy.libs")
    for path in glob.glob(os.path.join(folder, "*openblas*")):
        lib = ctypes.CDLL(path)
        for name in ("scipy_openblas_get_corename64_", "scipy_openblas_get_corename", "openblas_get_corename"):
            function = getattr(lib, name, None)
            if function is not None:
                function.restype = ctypes.c_char_p
                return function().decode()
    return "unknown"


def time_product(np, m, n, k, repeats, min_seconds):
    rng = np.random.default_rng(0)
    a = rng.uniform(-1, 1, (m, k)).astype(np.float32)
    b = rng.uniform(-1, 1, (k, n)).astype(np.float32)
    c = np.empty((m, n), dtype=np.float32)
    np.matmul(a, b, out=c)  # warm-up: thread pool, page faults
    samples = []
    for _ in range(repeats):
        calls = 0
        start = time.perf_counter()
        while True:
            np.matmul(a, b, out=c)
            calls += 1
            elapsed = time.perf_counter() - start
            if elapsed >= min_seconds:
                break
        samples.append(elapsed / calls)
    return statistics.median(samples), max(samples) / min(samples) - 1


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("shapes", nargs="+", type=parse_shape, help="MxNxK")
    parser.add_argument("--threads", type=int, default=1, help="OpenBLAS threads (default 1)")
    parser.add_argument("--repeats", type=int, default=5, help="timed runs per shape; the median is reported")
    parser.add_argument("--min-seconds", type=float, default=0.1, help="minimum length of one timed run")
    args = parser.parse_args()

    # Must be set before numpy loads OpenBLAS.
    os.environ["OPENBLAS_NUM_THREADS"] = str(args.threads)
    os.environ["OMP_NUM_THREADS"] = str(args.threads)
    try:
        import numpy as np
    except ImportError:
        print(json.dumps({"error": f"numpy is not installed for {sys.executable}"}))
        sys.exit(2)

    blas = np.__config__.CONFIG.get("Build Dependencies", {}).get("blas", {})
    print(json.dumps({"kind": "info", "numpy": np.__version__, "blas": blas.get("openblas configuration", blas.get("name", "?")),
                      "core": openblas_core(np), "threads": args.threads}), flush=True)
    for m, n, k in args.shapes:
        seconds, spread = time_product(np, m, n, k, args.repeats, args.min_seconds)
        print(json.dumps({"kind": "gemm", "m": m, "n": n, "k": k, "threads": args.threads, "seconds": seconds,
                          "gflops": 2.0 * m * n * k / seconds / 1e9, "spread": spread}), flush=True)


if __name__ == "__main__":
    main()
