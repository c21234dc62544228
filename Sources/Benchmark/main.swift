import LessonKit
import SimCLR
import Foundation

func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }
var g = SeededGenerator(seed: 1)
for n in [128, 512, 1024, 2048] {
    let a = (0..<n*n).map { _ in g.uniform(Float(-1), 1) }
    let b = (0..<n*n).map { _ in g.uniform(Float(-1), 1) }
    var c = [Float](repeating: 0, count: n*n)
    for threads in [1, 2] {
        Parallel.threadCount = threads
        var best = 1e9
        for _ in 0..<5 {
            let t0 = now()
            a.withUnsafeBufferPointer { pa in b.withUnsafeBufferPointer { pb in c.withUnsafeMutableBufferPointer { pc in
                gemmOptimized(.none, .none, m: n, n: n, k: n, a: pa.baseAddress!, lda: n, b: pb.baseAddress!, ldb: n, c: pc.baseAddress!, ldc: n)
            }}}
            best = min(best, now() - t0)
        }
        print(n, threads, String(format: "%.1f GFLOP/s", 2.0 * Double(n*n*n) / best / 1e9))
    }
}
