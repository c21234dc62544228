import Core
@testable import NeuralNet
import TestSupport
import XCTest

/// The pieces of the fused batch norm (`ChannelAffine`), each against the unfused pass it
/// replaces, bit for bit: a convolution that normalises its input as it reads it, a norm
/// whose output is never written, the norm and residual join in one pass, and the ReLU
/// mask recomputed from the norm's input.
final class FusedNormalizationTests: XCTestCase {
    /// Per-channel constants with both signs of scale and shift, so the ReLU cuts values.
    private func constants(_ channels: Int, seed: UInt64) -> (scale: [Float], shift: [Float]) {
        (randomFloats(channels, seed: seed).map { $0 * 1.5 }, randomFloats(channels, seed: seed + 1).map { $0 * 0.5 })
    }

    /// Every kernel, forced on every odd shape it supports (and the classroom's 16-channel
    /// 32x32 layer), under both register tiles, computes the convolution of the normalised
    /// input from the raw input and the constants exactly as from a normalised copy, in the
    /// forward pass and the weight gradient, with and without the ReLU.
    func testEveryKernelGivesTheSameNumbersNormalisingAsItReads() {
        defer { ConvKernel.forced = nil; RegisterTile.current = RegisterTile.compiled }
        var onRead = 0
        for tile in RegisterTile.allCases {
            RegisterTile.current = tile
            onRead += compareEveryKernelNormalisingAsItReads("\(tile) tile")
        }
        print("convolutions normalising as they read, compared bit for bit with a normalised copy: \(onRead) cases")
        XCTAssertGreaterThan(onRead, 40, "too few cases of the direct and Winograd kernels")
    }

    /// The comparison of `testEveryKernelGivesTheSameNumbersNormalisingAsItReads` under the
    /// current register tile; returns how many cases took a kernel that normalises as it reads.
    private func compareEveryKernelNormalisingAsItReads(_ label: String) -> Int {
        let shapes = ConvolutionTests.oddShapes
            + [ConvGeometry(batch: 2, inChannels: 16, height: 32, width: 32, outChannels: 16, kernel: 3, stride: 1, padding: 1)]
        var onRead = 0
        for kernel in ConvKernel.allCases {
            ConvKernel.forced = kernel
            for (i, g) in shapes.enumerated() {
                for pass in [ConvKernel.Pass.forward, .backwardWeights] where ConvKernel.supports(kernel, g, pass) {
                    for relu in [true, false] {
                        let x = randomFloats(g.batch * g.inputImageSize, seed: UInt64(10 + i))
                        let w = randomFloats(g.weightCount, seed: UInt64(20 + i))
                        let dy = randomFloats(g.batch * g.outputImageSize, seed: UInt64(30 + i))
                        let (scale, shift) = constants(g.inChannels, seed: UInt64(40 + i))
                        var copied = [Float](repeating: 0, count: pass == .forward ? dy.count : w.count)
                        var fused = copied
                        scale.withUnsafeBufferPointer { s in shift.withUnsafeBufferPointer { b in
                            let affine = ChannelAffine(scale: s.baseAddress!, shift: b.baseAddress!, relu: relu)
                            var normalised = x
                            affine.apply(x, into: &normalised, batch: g.batch, channels: g.inChannels,
                                         plane: g.height * g.width)
                            if pass == .forward {
                                Convolution.forwardOptimized(g, x: normalised, w: w, y: &copied)
                                Convolution.forwardOptimized(g, x: x, w: w, y: &fused, normalizing: affine)
                            } else {
                                Convolution.backwardWeightsOptimized(g, x: normalised, dy: dy, dw: &copied)
                                Convolution.backwardWeightsOptimized(g, x: x, dy: dy, dw: &fused, normalizing: affine)
                            }
                        } }
                        if kernel.normalizesAsItReads { onRead += 1 }
                        XCTAssertEqual(fused, copied, "\(kernel) \(pass) case \(i) relu \(relu), \(label)")
                    }
                }
            }
        }
        return onRead
    }

    /// A norm that defers its output (its constants applied elsewhere), one that joins the
    /// shortcut, and the backward pass with the ReLU mask from the input, each against the
    /// layer-by-layer pass, on a shape with SIMD tails (7x3 planes).
    func testBatchNormFusedPassesEqualTheLayerByLayerOnes() {
        ComputePath.with(.optimized) {
            let shape = [3, 5, 7, 3], count = 3 * 5 * 21
            let x = randomFloats(count, seed: 5), residual = randomFloats(count, seed: 6), dy = randomFloats(count, seed: 7)
            func norm(relu: Bool) -> BatchNorm2d {
                let n = BatchNorm2d(name: "bn", channels: 5, relu: relu)
                n.scale.value = Tensor(shape: [5], data: randomFloats(5, seed: 1))
                n.shift.value = Tensor(shape: [5], data: randomFloats(5, seed: 2))
                return n
            }
            // Deferred: the constants reproduce the output, ReLU included.
            let plain = norm(relu: true), deferred = norm(relu: true)
            let y = plain.forward(Tensor(shape: shape, data: x), training: true)
            deferred.forwardDeferred(Tensor(shape: shape, data: x))
            var applied = [Float](repeating: 0, count: count)
            deferred.withAffine { $0.apply(x, into: &applied, batch: 3, channels: 5, plane: 21) }
            XCTAssertEqual(applied, y.data, "deferred output")
            XCTAssertTrue(y.data.contains(0), "the ReLU cut something")
            XCTAssertEqual(deferred.buffers.map(\.value.data), plain.buffers.map(\.value.data), "running statistics")
            // Backward: the mask from the input equals the mask from the output.
            let dxPlain = plain.backward(Tensor(shape: shape, data: dy)), dxDeferred = deferred.backward(Tensor(shape: shape, data: dy))
            XCTAssertEqual(dxDeferred.data, dxPlain.data, "input gradient")
            XCTAssertEqual(deferred.scale.grad.data, plain.scale.grad.data, "scale gradient")
            XCTAssertEqual(deferred.shift.grad.data, plain.shift.grad.data, "shift gradient")
            // Joined: norm then addReLU, in one pass.
            let last = norm(relu: false), joined = norm(relu: false)
            var expected = last.forward(Tensor(shape: shape, data: x), training: true).data
            residual.withUnsafeBufferPointer { r in expected.withUnsafeMutableBufferPointer { e in
                addReLU(e.baseAddress!, r.baseAddress!, e.baseAddress!, count: count)
            } }
            let out = joined.forward(Tensor(shape: shape, data: x), joining: Tensor(shape: shape, data: residual))
            XCTAssertEqual(out.data, expected, "joined output")
            XCTAssertEqual(joined.backward(Tensor(shape: shape, data: dy)).data,
                           last.backward(Tensor(shape: shape, data: dy)).data, "joined norm's input gradient")
            // Joined with a shortcut's norm, applied as the join reads the shortcut's input:
            // both norms, then addReLU. The rebuilt output (for backward) is the same again.
            let mainNorm = norm(relu: false), shortcutNorm = norm(relu: false)
            let fusedMain = norm(relu: false), fusedShortcut = norm(relu: false)
            var expectedBoth = mainNorm.forward(Tensor(shape: shape, data: x), training: true).data
            let normalizedShortcut = shortcutNorm.forward(Tensor(shape: shape, data: residual), training: true).data
            normalizedShortcut.withUnsafeBufferPointer { r in expectedBoth.withUnsafeMutableBufferPointer { e in
                addReLU(e.baseAddress!, r.baseAddress!, e.baseAddress!, count: count)
            } }
            fusedShortcut.forwardDeferred(Tensor(shape: shape, data: residual))
            let both = fusedMain.forward(Tensor(shape: shape, data: x), joining: Tensor(shape: shape, data: residual),
                                         normalizedBy: fusedShortcut)
            XCTAssertEqual(both.data, expectedBoth, "output joined with the shortcut's norm")
            XCTAssertTrue(both.data.contains(0) && both.data.contains { $0 > 0 }, "the join's ReLU cut something")
            XCTAssertEqual(fusedMain.recomputeOutput(joiningOutputOf: fusedShortcut).data, expectedBoth, "rebuilt output")
            XCTAssertEqual(fusedShortcut.buffers.map(\.value.data), shortcutNorm.buffers.map(\.value.data),
                           "the shortcut norm's running statistics")
            XCTAssertEqual(fusedShortcut.backward(Tensor(shape: shape, data: dy)).data,
                           shortcutNorm.backward(Tensor(shape: shape, data: dy)).data, "the shortcut norm's input gradient")
        }
    }

    /// The reference backward takes the ReLU mask from the input as well, and agrees with the
    /// optimized one (within float rounding: it sums in Double).
    func testTheReferenceMaskFromTheInputMatchesTheOptimizedOne() {
        let g = BatchNormGeometry(batch: 3, channels: 5, planeSize: 21)
        let x = randomFloats(g.count, seed: 1), dy = randomFloats(g.count, seed: 2)
        let gamma = randomFloats(5, seed: 3), beta = randomFloats(5, seed: 4)
        var mean = [Float](repeating: 0, count: 5), variance = mean, scale = mean, shift = mean
        batchNormStatisticsOptimized(g, x: x, mean: &mean, variance: &variance)
        batchNormFold(channels: 5, gamma: gamma, beta: beta, mean: mean, variance: variance, eps: 1e-5,
                      scale: &scale, shift: &shift)
        var results: [[Float]] = []
        for path in ComputePath.allCases {
            var dx = [Float](repeating: 0, count: g.count), dg = mean, db = mean
            scale.withUnsafeBufferPointer { s in shift.withUnsafeBufferPointer { b in
                let affine = ChannelAffine(scale: s.baseAddress!, shift: b.baseAddress!, relu: true)
                ComputePath.with(path) {
                    batchNormBackward(g, x: x, dy: dy, gamma: gamma, mean: mean, variance: variance, eps: 1e-5,
                                      reluInput: affine, dx: &dx, dgamma: &dg, dbeta: &db)
                }
            } }
            results.append(dx + dg + db)
        }
        assertClose(results[1], results[0], "mask from the input, optimized against reference")
    }
}
