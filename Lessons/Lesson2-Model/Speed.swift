import Foundation
import SimCLR

/// Timing of an encoder on one kernel path.
enum Speed {
    /// Images per second of `encoder` forward, and forward + backward, on `path`, for a batch of
    /// `images` random 3x32x32 inputs (one timing: the lesson shows a ratio, the benchmark
    /// executable measures properly).
    static func imagesPerSecond(_ encoder: ResNet, path: ComputePath, images: Int) -> (forward: Double, training: Double) {
        let saved = ComputePath.current
        defer { ComputePath.current = saved }
        ComputePath.current = path
        var g = SeededGenerator(seed: 5)
        let x = Tensor(shape: [images, 3, 32, 32], data: (0 ..< images * 3072).map { _ in Float(g.normal()) })
        let t0 = Date()
        let h = encoder.forward(x, training: true)
        let t1 = Date()
        _ = encoder.backward(Tensor(shape: h.shape, data: [Float](repeating: 1e-3, count: h.count)))
        let t2 = Date()
        return (Double(images) / t1.timeIntervalSince(t0), Double(images) / t2.timeIntervalSince(t0))
    }
}
