import Core
@testable import NeuralNet
import TestSupport
import XCTest

/// A residual block whose batch norms are fused into their neighbours
/// (`fusesNormalization`, the default) must train exactly as one that runs every layer on
/// its own: same output, same input gradient, same parameter gradients, bit for bit.
final class ResidualBlockTests: XCTestCase {
    /// Runs a training forward and backward of `make()`'s block, once layer by layer and once
    /// fused, and compares every number the two produce.
    private func assertFusingChangesNothing(_ label: String, inputShape: [Int], make: () -> ResidualBlock) {
        let x = randomFloats(inputShape.reduce(1, *), seed: 3)
        var results: [(y: [Float], dx: [Float], grads: [[Float]], stats: [[Float]])] = []
        for fused in [false, true] {
            let block = make()
            block.fusesNormalization = fused
            let y = block.forward(Tensor(shape: inputShape, data: x), training: true)
            let dy = randomFloats(y.count, seed: 4)
            let dx = block.backward(Tensor(shape: y.shape, data: dy))
            results.append((y.data, dx.data, block.parameters.map(\.grad.data), block.buffers.map(\.value.data)))
        }
        let (unfused, fused) = (results[0], results[1])
        let differing = zip(unfused.grads, fused.grads).filter { $0 != $1 }.count
        print("\(label): output \(unfused.y == fused.y ? "identical" : "DIFFERS"), input gradient "
              + "\(unfused.dx == fused.dx ? "identical" : "DIFFERS"), \(unfused.grads.count - differing) of "
              + "\(unfused.grads.count) parameter gradients identical, running statistics "
              + "\(unfused.stats == fused.stats ? "identical" : "DIFFER")")
        XCTAssertEqual(unfused.y, fused.y, "\(label): output")
        XCTAssertEqual(unfused.dx, fused.dx, "\(label): input gradient")
        XCTAssertEqual(differing, 0, "\(label): parameter gradients")
        XCTAssertEqual(unfused.stats, fused.stats, "\(label): running statistics")
        XCTAssertTrue(fused.y.contains(0) && fused.y.contains { $0 > 0 }, "\(label): the join's ReLU cut something")
    }

    func testFusedBlocksGiveTheSameNumbersBitForBit() {
        ComputePath.with(.optimized) {
            // Odd planes (7x7, 5x5) leave SIMD tails and take im2col (given a normalised copy);
            // 16 channels at 32x32 and 32 at 16x16 take the direct kernel, 64 at 8x8 Winograd
            // (both normalise as they read); stride 2 adds the downsample shortcut.
            for (inChannels, channels, stride, size) in [(4, 4, 1, 7), (3, 6, 2, 9), (16, 16, 1, 32), (32, 32, 1, 16),
                                                         (32, 64, 2, 16), (64, 64, 1, 8)] {
                assertFusingChangesNothing("BasicBlock \(inChannels)→\(channels)/\(stride) \(size)x\(size)",
                                           inputShape: [3, inChannels, size, size]) {
                    var g = SeededGenerator(seed: 9)
                    return BasicBlock(name: "b", inChannels: inChannels, channels: channels, stride: stride, generator: &g)
                }
            }
            assertFusingChangesNothing("Bottleneck 8→4x4/2 9x9", inputShape: [2, 8, 9, 9]) {
                var g = SeededGenerator(seed: 9)
                return Bottleneck(name: "b", inChannels: 8, channels: 4, stride: 2, generator: &g)
            }
        }
    }

    /// The fused block keeps the norms' inputs and the block's output, never a normalised
    /// tensor: the backward pass of a block whose forward ran fused works from them alone,
    /// and a second backward fails as before.
    func testAFusedBlockNeedsNothingButItsOwnState() {
        ComputePath.with(.optimized) {
            var g = SeededGenerator(seed: 1)
            let block = BasicBlock(name: "b", inChannels: 8, channels: 8, stride: 1, generator: &g)
            let y = block.forward(Tensor(shape: [2, 8, 16, 16], data: randomFloats(2 * 8 * 256, seed: 2)), training: true)
            let dx = block.backward(Tensor(shape: y.shape, data: randomFloats(y.count, seed: 3)))
            XCTAssertEqual(dx.shape, [2, 8, 16, 16])
            XCTAssertTrue(dx.data.allSatisfy(\.isFinite))
        }
    }
}
