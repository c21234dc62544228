/// numpy/OpenBLAS timings of the same products, from `scripts/bench/numpy_gemm.py`.
struct NumpyGEMM {
    struct Shape: Hashable {
        let m: Int, n: Int, k: Int
        var argument: String { "\(m)x\(n)x\(k)" }
    }

    /// One line of the script's output: an "info" line or a "gemm" timing.
    private struct Record: Decodable {
        let kind: String
        let m: Int?, n: Int?, k: Int?
        let threads: Int
        let gflops: Double?
        let core: String?
        let numpy: String?
    }

    /// GFLOP/s per (shape, threads).
    private(set) var rates: [Shape: [Int: Double]] = [:]
    /// One line per thread count saying what was run, or why nothing was.
    private(set) var notes: [String] = []

    /// Runs the script once per thread count over all `shapes`.
    init(shapes: [Shape], threadCounts: [Int], repeats: Int, options: BenchmarkOptions) {
        guard !options.noPython else {
            notes = ["numpy: skipped (--no-python)"]
            return
        }
        for threads in threadCounts {
            let arguments = ["--threads", "\(threads)", "--repeats", "\(repeats)", "--min-seconds", "0.1"]
                + shapes.map(\.argument)
            // OpenBLAS's full AVX-512 speed needs both variables unset (for this command only).
            let result = ExternalTool.runScript("numpy_gemm.py", arguments: arguments, python: options.python,
                                                unsetting: ["OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"], as: Record.self)
            switch result {
            case .failure(let failure):
                notes.append("numpy (\(Format.count(threads, "thread"))): not measured — \(failure)")
                return
            case .success(let records):
                for r in records {
                    if r.kind == "info" {
                        notes.append("numpy \(r.numpy ?? "?") with OpenBLAS core \(r.core ?? "?"), \(Format.count(threads, "thread")), "
                                     + "run as: env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE \(options.python) scripts/bench/numpy_gemm.py")
                    } else if let m = r.m, let n = r.n, let k = r.k, let g = r.gflops {
                        rates[Shape(m: m, n: n, k: k), default: [:]][threads] = g
                    }
                }
            }
        }
    }

    func gflops(_ shape: Shape, threads: Int) -> Double? {
        rates[shape]?[threads]
    }
}
