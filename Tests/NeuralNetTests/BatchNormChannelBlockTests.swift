import Core
@testable import NeuralNet
import TestSupport
import XCTest

/// The batch norm's statistics and backward pass on 16 channels side by side
/// (`sixteenChannelsAtOnce`: planes of up to 256 values) give the numbers of the
/// channel-by-channel loop bit for bit. A channel's numbers depend only on its own planes, so
/// the same 16 channels are run twice: as a 16-channel tensor (side by side) and inside a
/// 17-channel one, which takes the channel-by-channel loop.
final class BatchNormChannelBlockTests: XCTestCase {
    func testSixteenChannelsAtOnceEqualChannelByChannel() {
        var compared = 0
        for (batch, plane) in [(3, 16), (2, 64), (5, 256), (1, 16)] {
            let blocked = BatchNormGeometry(batch: batch, channels: 16, planeSize: plane)
            let single = BatchNormGeometry(batch: batch, channels: 17, planeSize: plane)
            XCTAssertTrue(sixteenChannelsAtOnce(blocked))
            XCTAssertFalse(sixteenChannelsAtOnce(single))
            // Values over several decades and an offset mean, so any other order of the sums rounds differently.
            let x16 = randomFloats(blocked.count, seed: UInt64(plane)).enumerated().map { i, v in
                v * Float(1 << (i % 7)) + 3
            }
            let dy16 = randomFloats(blocked.count, seed: UInt64(plane + 1))
            let x17 = embed(x16, batch: batch, plane: plane), dy17 = embed(dy16, batch: batch, plane: plane)
            let gamma = randomFloats(17, seed: 3), affineScale = randomFloats(17, seed: 4), affineShift = randomFloats(17, seed: 5)

            let a = statistics(blocked, x16), b = statistics(single, x17)
            XCTAssertEqual(bitDifferences(a.mean, b.mean.prefix(16)), 0, "means, \(batch) x \(plane)")
            XCTAssertEqual(bitDifferences(a.variance, b.variance.prefix(16)), 0, "variances, \(batch) x \(plane)")

            for mask in ["none", "output", "input"] {
                let relu17 = embed(randomFloats(blocked.count, seed: 9).map { max($0, 0) }, batch: batch, plane: plane)
                let p = backward(blocked, x16, dy16, gamma, b.mean, b.variance, mask: mask,
                                 reluOutput: unembed(relu17, batch: batch, plane: plane),
                                 affine: (affineScale, affineShift))
                let q = backward(single, x17, dy17, gamma, b.mean, b.variance, mask: mask, reluOutput: relu17,
                                 affine: (affineScale, affineShift))
                XCTAssertEqual(bitDifferences(p.dx, unembed(q.dx, batch: batch, plane: plane)), 0, "dx, \(mask) mask")
                XCTAssertEqual(bitDifferences(p.dgamma, q.dgamma.prefix(16)), 0, "dgamma, \(mask) mask")
                XCTAssertEqual(bitDifferences(p.dbeta, q.dbeta.prefix(16)), 0, "dbeta, \(mask) mask")
                XCTAssertTrue(p.dx.contains { $0 != 0 })
                compared += 1
            }
        }
        print("batch norm, 16 channels side by side against channel by channel: \(compared) shapes and masks, bit for bit")
    }

    /// `values` `[batch, 16, plane]` as the first 16 channels of `[batch, 17, plane]` (the 17th is noise).
    private func embed(_ values: [Float], batch: Int, plane: Int) -> [Float] {
        var out = randomFloats(batch * 17 * plane, seed: 99)
        for n in 0 ..< batch {
            for i in 0 ..< 16 * plane { out[n * 17 * plane + i] = values[n * 16 * plane + i] }
        }
        return out
    }

    /// The first 16 channels of `[batch, 17, plane]`.
    private func unembed(_ values: [Float], batch: Int, plane: Int) -> [Float] {
        (0 ..< batch).flatMap { n in values[n * 17 * plane ..< n * 17 * plane + 16 * plane] }
    }

    private func statistics(_ g: BatchNormGeometry, _ x: [Float]) -> (mean: [Float], variance: [Float]) {
        var mean = [Float](repeating: 0, count: g.channels), variance = mean
        batchNormStatisticsOptimized(g, x: x, mean: &mean, variance: &variance)
        return (mean, variance)
    }

    private func backward(_ g: BatchNormGeometry, _ x: [Float], _ dy: [Float], _ gamma: [Float], _ mean: [Float],
                          _ variance: [Float], mask: String, reluOutput: [Float],
                          affine: (scale: [Float], shift: [Float])) -> (dx: [Float], dgamma: [Float], dbeta: [Float]) {
        var dx = [Float](repeating: 0, count: g.count)
        var dgamma = [Float](repeating: 0.5, count: g.channels), dbeta = dgamma
        affine.scale.withUnsafeBufferPointer { scale in affine.shift.withUnsafeBufferPointer { shift in
            let channelAffine = ChannelAffine(scale: scale.baseAddress!, shift: shift.baseAddress!, relu: true)
            reluOutput.withUnsafeBufferPointer { y in
                batchNormBackwardOptimized(g, x: x, dy: dy, gamma: gamma, mean: mean, variance: variance, eps: 1e-5,
                                           reluOutput: mask == "output" ? y.baseAddress! : nil,
                                           reluInput: mask == "input" ? channelAffine : nil,
                                           dx: &dx, dgamma: &dgamma, dbeta: &dbeta, accumulate: true)
            }
        } }
        return (dx, dgamma, dbeta)
    }
}
