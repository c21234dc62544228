import Core
import NeuralNet
import TestSupport
import XCTest

/// Winograd F(2x2, 3x3) (`Conv2D+WinogradReference.swift`): the reference loops against the
/// direct convolution and against PyTorch.
final class WinogradTests: XCTestCase {
    private static func shape(_ n: Int, _ ci: Int, _ h: Int, _ w: Int, _ co: Int) -> ConvGeometry {
        ConvGeometry(batch: n, inChannels: ci, height: h, width: w, outChannels: co, kernel: 3, stride: 1, padding: 1)
    }

    /// Odd heights and widths (a last row or column of tiles half outside the image), 1, 3 and 5
    /// channels, images of 1 to 3 pixels, batches of 2 and 3.
    static let oddShapes: [ConvGeometry] = [
        shape(2, 1, 7, 5, 3),
        shape(3, 3, 9, 11, 5),
        shape(2, 5, 7, 5, 1),
        shape(3, 5, 5, 9, 5),
        shape(2, 3, 1, 1, 2),
        shape(3, 2, 2, 3, 3),
        shape(2, 3, 3, 1, 4),
        shape(2, 4, 8, 6, 4),
    ]

    // MARK: - The reference loops against the direct convolution

    /// Absolute tolerance for a sum of `terms` products of values in [-1, 1): 1e-6 · √terms.
    static func sumTolerance(_ terms: Int) -> Double { 1e-6 * Double(terms).squareRoot() }

    /// The weight gradient's: 2.5e-6 · √(batch · pixels) (its sums run over every output).
    static func weightSumTolerance(_ g: ConvGeometry) -> Double { 2.5e-6 * Double(g.batch * g.outPixels).squareRoot() }

    /// The Winograd reference loops give the direct reference's numbers in every pass, on odd
    /// shapes, with inputs uniform in [-1, 1), within `atol` (float rounding: a wrong
    /// coefficient would be off by the size of the values, about 1).
    ///
    /// Rounding errors of a sum of d products grow like √d: the tolerances are
    /// `sumTolerance(d)` and `weightSumTolerance(g)` above, a few times the largest measured
    /// here (max |diff| / √d up to 3.5e-7 for the forward and backward-data sums over
    /// 9·channels products, 4.4e-7 for the weight gradient's over batch · pixels).
    func testReferenceMatchesDirectReference() {
        for (i, g) in Self.oddShapes.enumerated() {
            let (x, w, dy) = inputs(g, seed: i)
            var direct = [Float](repeating: 0, count: dy.count), winograd = direct
            conv2dForwardReference(g, x: x, w: w, y: &direct)
            conv2dForwardWinogradReference(g, x: x, w: w, y: &winograd)
            assertClose(winograd, direct, rtol: 1e-5, atol: Self.sumTolerance(9 * g.inChannels),
                        "winograd reference forward, case \(i)")

            var dxDirect = [Float](repeating: 9, count: x.count), dxWinograd = dxDirect
            conv2dBackwardDataReference(g, dy: dy, w: w, dx: &dxDirect)
            conv2dBackwardDataWinogradReference(g, dy: dy, w: w, dx: &dxWinograd)
            assertClose(dxWinograd, dxDirect, rtol: 1e-5, atol: Self.sumTolerance(9 * g.outChannels),
                        "winograd reference dx, case \(i)")

            var dwDirect = randomFloats(w.count, seed: 99), dwWinograd = dwDirect
            conv2dBackwardWeightsReference(g, x: x, dy: dy, dw: &dwDirect, accumulate: true)
            conv2dBackwardWeightsWinogradReference(g, x: x, dy: dy, dw: &dwWinograd, accumulate: true)
            assertClose(dwWinograd, dwDirect, rtol: 1e-5, atol: Self.weightSumTolerance(g),
                        "winograd reference dw (accumulate), case \(i)")
        }
    }

    // MARK: - PyTorch

    /// The reference loops against PyTorch's 3x3 stride-1 convolution (forward, input gradient,
    /// weight gradient), with the tolerance `Conv2DTests` uses for every kernel.
    func testAgainstPyTorch() throws {
        let f = try Fixture("conv2d_k3_s1")
        let x = try f.tensor("x"), w = try f.tensor("w"), gy = try f.tensor("gy")
        let g = ConvGeometry(batch: x.shape[0], inChannels: x.shape[1], height: x.shape[2], width: x.shape[3],
                             outChannels: w.shape[0], kernel: w.shape[2],
                             stride: f.meta("stride") as! Int, padding: f.meta("padding") as! Int)
        let (y, gx, gw) = (try f.tensor("y").data, try f.tensor("gx").data, try f.tensor("gw").data)
        var out = [Float](repeating: 0, count: y.count), dx = [Float](repeating: 0, count: gx.count)
        var dw = [Float](repeating: 0, count: gw.count)
        conv2dForwardWinogradReference(g, x: x.data, w: w.data, y: &out)
        conv2dBackwardDataWinogradReference(g, dy: gy.data, w: w.data, dx: &dx)
        conv2dBackwardWeightsWinogradReference(g, x: x.data, dy: gy.data, dw: &dw)
        assertClose(out, y, "conv2d_k3_s1 y [winograd reference]")
        assertClose(dx, gx, "conv2d_k3_s1 gx [winograd reference]")
        assertClose(dw, gw, "conv2d_k3_s1 gw [winograd reference]")
    }

    // MARK: - Helpers

    /// x, w, dy uniform in [-1, 1), as `Conv2DTests` draws them.
    private func inputs(_ g: ConvGeometry, seed: Int) -> ([Float], [Float], [Float]) {
        (randomFloats(g.batch * g.inputImageSize, seed: UInt64(10 + seed)),
         randomFloats(g.weightCount, seed: UInt64(20 + seed)),
         randomFloats(g.batch * g.outputImageSize, seed: UInt64(30 + seed)))
    }
}
