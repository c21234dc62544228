import Core
@testable import NeuralNet
import TestSupport
import XCTest

/// What the tests of both Winograd algorithms share: 3x3 same-size shapes, seeded inputs, and
/// the reference loops' comparison with the direct convolution.
enum WinogradTesting {
    /// A 3x3, stride-1, padding-1 convolution of `n` images of `ci` channels, `h` x `w`, to `co`.
    static func shape(_ n: Int, _ ci: Int, _ h: Int, _ w: Int, _ co: Int) -> ConvGeometry {
        ConvGeometry(batch: n, inChannels: ci, height: h, width: w, outChannels: co, kernel: 3, stride: 1, padding: 1)
    }

    /// Input, weights and output gradient of `g`, uniform in [-1, 1), seeded by `seed`.
    static func inputs(_ g: ConvGeometry, seed: Int) -> ([Float], [Float], [Float]) {
        (randomFloats(g.batch * g.inputImageSize, seed: UInt64(10 + seed)),
         randomFloats(g.weightCount, seed: UInt64(20 + seed)),
         randomFloats(g.batch * g.outputImageSize, seed: UInt64(30 + seed)))
    }

    /// `algorithm`'s reference loops against the direct reference in every pass on `shapes`:
    /// forward and backward-data within `sumTolerance` of their sums' depth (9 · channels),
    /// the weight gradient (added to what `dw` held) within `weightSumTolerance`, each also
    /// within `rtol`. Messages start with `label`.
    static func assertReferenceMatchesDirect(_ shapes: [ConvGeometry], algorithm: Winograd.Algorithm, rtol: Double,
                                             sumTolerance: (Int) -> Double,
                                             weightSumTolerance: (ConvGeometry) -> Double, label: String) {
        for (i, g) in shapes.enumerated() {
            let (x, w, dy) = inputs(g, seed: i)
            var direct = [Float](repeating: 0, count: dy.count), winograd = direct
            Convolution.forwardReference(g, x: x, w: w, y: &direct)
            Winograd.forwardReference(g, x: x, w: w, y: &winograd, algorithm: algorithm)
            assertClose(winograd, direct, rtol: rtol, atol: sumTolerance(9 * g.inChannels), "\(label) forward, case \(i)")

            var dxDirect = [Float](repeating: 9, count: x.count), dxWinograd = dxDirect
            Convolution.backwardDataReference(g, dy: dy, w: w, dx: &dxDirect)
            Winograd.backwardDataReference(g, dy: dy, w: w, dx: &dxWinograd, algorithm: algorithm)
            assertClose(dxWinograd, dxDirect, rtol: rtol, atol: sumTolerance(9 * g.outChannels), "\(label) dx, case \(i)")

            var dwDirect = randomFloats(w.count, seed: 99), dwWinograd = dwDirect
            Convolution.backwardWeightsReference(g, x: x, dy: dy, dw: &dwDirect, accumulate: true)
            Winograd.backwardWeightsReference(g, x: x, dy: dy, dw: &dwWinograd, accumulate: true, algorithm: algorithm)
            assertClose(dwWinograd, dwDirect, rtol: rtol, atol: weightSumTolerance(g), "\(label) dw (accumulate), case \(i)")
        }
    }
}
