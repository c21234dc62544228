import Core
@testable import NeuralNet
import TestSupport
import XCTest

/// The optimized batch norm on large planes goes through the tensor image by image
/// (`imageByImage`: each plane's sums kept, then merged channel by channel in image order)
/// and gives the numbers of the channel-by-channel loop bit for bit: statistics, the
/// normalised output (with and without its ReLU) and the backward pass under each ReLU mask.
final class BatchNormImageOrderTests: XCTestCase {
    override func tearDown() {
        BatchNormOrder.forced = nil
        super.tearDown()
    }

    func testImageByImageEqualsChannelByChannel() {
        XCTAssertTrue(imageByImage(BatchNormGeometry(batch: 2, channels: 16, planeSize: 1024)))
        XCTAssertFalse(imageByImage(BatchNormGeometry(batch: 2, channels: 17, planeSize: 256)))
        var compared = 0
        // Odd channel counts and planes that are not whole vectors, so the 16-channel path
        // never takes them; one tensor large enough to be split over the cores.
        for (batch, channels, plane) in [(3, 5, 300), (2, 17, 1024), (1, 3, 257), (40, 7, 1030), (4, 17, 16)] {
            let g = BatchNormGeometry(batch: batch, channels: channels, planeSize: plane)
            let seed = UInt64(batch * 1000 + plane)
            // Values over several decades and an offset mean, so any other order of the sums rounds differently.
            let x = randomFloats(g.count, seed: seed).enumerated().map { i, v in v * Float(1 << (i % 7)) + 3 }
            let dy = randomFloats(g.count, seed: seed + 1)
            let relu = randomFloats(g.count, seed: seed + 2).map { max($0, 0) }
            let gamma = randomFloats(channels, seed: 3), beta = randomFloats(channels, seed: 4)
            let affineScale = randomFloats(channels, seed: 5), affineShift = randomFloats(channels, seed: 6)

            func run(_ order: BatchNormOrder) -> [[Float]] {
                BatchNormOrder.forced = order
                defer { BatchNormOrder.forced = nil }
                var results: [[Float]] = []
                var mean = [Float](repeating: 0, count: channels), variance = mean
                batchNormStatisticsOptimized(g, x: x, mean: &mean, variance: &variance)
                results += [mean, variance]
                for fusedReLU in [false, true] {
                    var y = [Float](repeating: 0, count: g.count)
                    var m = [Float](repeating: 0, count: channels), v = m
                    batchNormForwardTrainingOptimized(g, x: x, gamma: gamma, beta: beta, eps: 1e-5, relu: fusedReLU,
                                                      y: &y, mean: &m, variance: &v)
                    results += [y, m, v]
                }
                for mask in ["none", "output", "input"] {
                    var dx = [Float](repeating: 0, count: g.count)
                    var dgamma = [Float](repeating: 0.5, count: channels), dbeta = dgamma
                    affineScale.withUnsafeBufferPointer { scale in affineShift.withUnsafeBufferPointer { shift in
                        let affine = ChannelAffine(scale: scale.baseAddress!, shift: shift.baseAddress!, relu: true)
                        relu.withUnsafeBufferPointer { y in
                            batchNormBackwardOptimized(g, x: x, dy: dy, gamma: gamma, mean: mean, variance: variance,
                                                       eps: 1e-5, reluOutput: mask == "output" ? y.baseAddress! : nil,
                                                       reluInput: mask == "input" ? affine : nil,
                                                       dx: &dx, dgamma: &dgamma, dbeta: &dbeta, accumulate: true)
                        }
                    } }
                    XCTAssertTrue(dx.contains { $0 != 0 }, "\(mask) mask: some gradient passes")
                    results += [dx, dgamma, dbeta]
                }
                return results
            }

            let byChannel = run(.channelByChannel), byImage = run(.imageByImage)
            XCTAssertEqual(byChannel.count, byImage.count)
            for (i, (a, b)) in zip(byChannel, byImage).enumerated() {
                XCTAssertEqual(bitDifferences(a, b), 0, "result \(i), \(batch) x \(channels) x \(plane)")
                compared += 1
            }
        }
        print("batch norm, image by image against channel by channel: \(compared) results, bit for bit")
    }
}
