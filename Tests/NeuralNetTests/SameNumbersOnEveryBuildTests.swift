import Core
@testable import NeuralNet
import TestSupport
import XCTest

/// A seed must train to the same numbers on every machine: the classroom network gives the
/// same features, input gradient, parameter gradients and running statistics, bit for bit,
/// under the wide register tiles (an AVX-512 build) and the narrow ones (AVX2 or ARM), and on
/// 1, 2, 3, 4 and 8 threads (from 4, the weight gradients' shares are split over the spare
/// cores by output channels). Float sums are not associative, so either would show here as a changed
/// last bit, which training then grows into different losses and accuracies.
final class SameNumbersOnEveryBuildTests: XCTestCase {
    func testClassroomNetworkIsIdenticalUnderBothTilesAndAnyThreadCount() {
        let savedThreads = Parallel.threadCount
        defer { RegisterTile.current = RegisterTile.compiled; Parallel.threadCount = savedThreads }
        // ResNet-18 at the classroom's width 16 on 32x32 images: the stem and layer1 take the
        // direct kernel, the stride-2 convolutions the channel lanes and im2col, layers 2-4
        // Winograd F(4x4), the shortcuts im2col. Six images, so the weight gradients' two
        // shares hold three each.
        let config = ResNetConfig(depth: .resnet18, width: 16, stem: .cifar)
        let shape = [6, 3, 32, 32]
        let images = randomFloats(shape.reduce(1, *), seed: 31)
        var results: [String: (h: [Float], dx: [Float], grads: [[Float]], stats: [[Float]])] = [:]
        ComputePath.with(.optimized) {
            for tile in RegisterTile.allCases {
                for threads in [1, 2, 3, 4, 8] {
                    RegisterTile.current = tile
                    Parallel.threadCount = threads
                    var generator = SeededGenerator(seed: 32)
                    let model = ResNet(config, generator: &generator)
                    model.computesInputGradient = true
                    let h = model.forward(Tensor(shape: shape, data: images), training: true)
                    let dx = model.backward(Tensor(shape: h.shape, data: randomFloats(h.count, seed: 33)))
                    results["\(tile) tiles, \(threads) thread\(threads == 1 ? "" : "s")"] =
                        (h.data, dx.data, model.parameters.map(\.grad.data), model.buffers.map(\.value.data))
                }
            }
        }
        let base = results["wide tiles, 2 threads"]!
        XCTAssertTrue(base.dx.contains { $0 != 0 } && base.grads.allSatisfy { $0.contains { $0 != 0 } },
                      "every parameter and the images received a gradient")
        for (name, other) in results.sorted(by: { $0.key < $1.key }) {
            let differing = zip(base.grads, other.grads).filter { $0 != $1 }.count
            XCTAssertEqual(bitDifferences(base.h, other.h), 0, "\(name): features")
            XCTAssertEqual(bitDifferences(base.dx, other.dx), 0, "\(name): input gradient")
            XCTAssertEqual(differing, 0, "\(name): parameter gradients")
            XCTAssertEqual(base.stats, other.stats, "\(name): running statistics")
            if differing == 0 && base.h == other.h && base.dx == other.dx {
                print("OK     \(name): features, input gradient, \(other.grads.count) parameter gradients and running "
                      + "statistics equal the wide tiles' on 2 threads bit for bit")
            }
        }
    }

    /// The weight gradients split by output channels on more cores than shares give the
    /// two-thread sums bit for bit, also where the pieces are uneven: the direct kernel with 3
    /// pairs of output channels on 4 threads (pieces of 2 and 1 pair) and 8 (3 of 1),
    /// F(4x4) with 12 output channels (GEMM tiles of 8 and 4) and with 40, and F(2x2) with 44
    /// (six tiles, the last of 4 channels, in pieces of 2, 2, 1 and 1 on 8 threads), and the
    /// channel lanes with 96 output channels (three blocks of 32: pieces of 2 and 1 on 4
    /// threads, 1, 1, 1 on 8), under both register tiles.
    func testWeightGradientsSplitByOutputChannelsGiveTheSameSums() {
        let savedThreads = Parallel.threadCount
        defer { ConvKernel.forced = nil; Parallel.threadCount = savedThreads; RegisterTile.current = RegisterTile.compiled }
        let cases: [(ConvKernel, ConvGeometry)] = [
            (.direct, ConvGeometry(batch: 5, inChannels: 3, height: 6, width: 32, outChannels: 6, kernel: 3, stride: 1, padding: 1)),
            (.winograd4x4, ConvGeometry(batch: 7, inChannels: 5, height: 8, width: 8, outChannels: 12, kernel: 3, stride: 1, padding: 1)),
            (.winograd4x4, ConvGeometry(batch: 4, inChannels: 8, height: 4, width: 4, outChannels: 40, kernel: 3, stride: 1, padding: 1)),
            (.winograd, ConvGeometry(batch: 3, inChannels: 32, height: 6, width: 10, outChannels: 44, kernel: 3, stride: 1, padding: 1)),
            (.channelLanes, ConvGeometry(batch: 3, inChannels: 5, height: 9, width: 7, outChannels: 96, kernel: 3, stride: 2, padding: 1)),
        ]
        for (i, (kernel, g)) in cases.enumerated() {
            ConvKernel.forced = kernel
            XCTAssertEqual(ConvKernel.choose(g, .backwardWeights), kernel, "case \(i)")
            let x = randomFloats(g.batch * g.inputImageSize, seed: UInt64(40 + i))
            let dy = randomFloats(g.batch * g.outputImageSize, seed: UInt64(50 + i))
            var results: [String: [Float]] = [:]
            for tile in RegisterTile.allCases {
                RegisterTile.current = tile
                for threads in [1, 2, 4, 8] {
                    Parallel.threadCount = threads
                    var dw = randomFloats(g.weightCount, seed: 60)
                    Convolution.backwardWeightsOptimized(g, x: x, dy: dy, dw: &dw, accumulate: true)
                    results["\(tile) tiles, \(threads) threads"] = dw
                }
            }
            RegisterTile.current = RegisterTile.compiled
            let base = results["wide tiles, 2 threads"]!
            for (name, dw) in results {
                XCTAssertEqual(bitDifferences(dw, base), 0, "\(kernel) case \(i), \(name)")
            }
            print("OK     \(kernel.rawValue) weight gradient, \(g.inChannels)→\(g.outChannels) on \(g.height)x\(g.width): "
                  + "1, 4 and 8 threads under both tiles give the wide tiles' 2-thread sums bit for bit")
        }
    }
}
