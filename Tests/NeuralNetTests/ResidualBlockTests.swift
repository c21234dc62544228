import Core
@testable import NeuralNet
import TestSupport
import XCTest

/// A residual block that drops its inner norms' outputs after the forward pass and rebuilds
/// them in backward (`rebuildsInnerActivations`, the default) must train exactly as one that
/// keeps them: same output, same input gradient, same parameter gradients, bit for bit.
final class ResidualBlockTests: XCTestCase {
    /// Runs a training forward and backward of `make()`'s block, once keeping every
    /// activation and once rebuilding, and compares every number the two produce.
    private func assertRebuildingChangesNothing(_ label: String, inputShape: [Int], make: () -> ResidualBlock) {
        let x = randomFloats(inputShape.reduce(1, *), seed: 3)
        var results: [(y: [Float], dx: [Float], grads: [[Float]])] = []
        for rebuild in [false, true] {
            let block = make()
            block.rebuildsInnerActivations = rebuild
            let y = block.forward(Tensor(shape: inputShape, data: x), training: true)
            let dy = randomFloats(y.count, seed: 4)
            let dx = block.backward(Tensor(shape: y.shape, data: dy))
            results.append((y.data, dx.data, block.parameters.map(\.grad.data)))
        }
        let (kept, rebuilt) = (results[0], results[1])
        let differing = zip(kept.grads, rebuilt.grads).filter { $0 != $1 }.count
        print("\(label): output \(kept.y == rebuilt.y ? "identical" : "DIFFERS"), input gradient "
              + "\(kept.dx == rebuilt.dx ? "identical" : "DIFFERS"), \(kept.grads.count - differing) of "
              + "\(kept.grads.count) parameter gradients identical")
        XCTAssertEqual(kept.y, rebuilt.y, "\(label): output")
        XCTAssertEqual(kept.dx, rebuilt.dx, "\(label): input gradient")
        XCTAssertEqual(differing, 0, "\(label): parameter gradients")
    }

    func testRebuiltActivationsGiveTheSameGradientsBitForBit() {
        ComputePath.with(.optimized) {
            // Odd planes (7x7, 5x5) leave a SIMD tail; 32 channels in 16x16 and 8x8 planes take
            // the direct and channel-lane kernels the classroom network uses.
            for (inChannels, channels, stride, size) in [(4, 4, 1, 7), (3, 6, 2, 9), (32, 32, 1, 16), (32, 64, 2, 16)] {
                assertRebuildingChangesNothing("BasicBlock \(inChannels)→\(channels)/\(stride) \(size)x\(size)",
                                               inputShape: [3, inChannels, size, size]) {
                    var g = SeededGenerator(seed: 9)
                    return BasicBlock(name: "b", inChannels: inChannels, channels: channels, stride: stride, generator: &g)
                }
            }
            assertRebuildingChangesNothing("Bottleneck 8→4x4/2 9x9", inputShape: [2, 8, 9, 9]) {
                var g = SeededGenerator(seed: 9)
                return Bottleneck(name: "b", inChannels: 8, channels: 4, stride: 2, generator: &g)
            }
        }
    }

    /// `rebuiltOutput` normalises with the statistics the forward pass gathered, through the
    /// same code, so it returns the forward's output exactly (with and without the ReLU).
    func testBatchNormRebuiltOutputEqualsTheForwardOutput() {
        ComputePath.with(.optimized) {
            for relu in [true, false] {
                let shape = [3, 5, 7, 3]
                let norm = BatchNorm2d(name: "bn", channels: 5, relu: relu)
                norm.scale.value = Tensor(shape: [5], data: randomFloats(5, seed: 1))
                norm.shift.value = Tensor(shape: [5], data: randomFloats(5, seed: 2))
                norm.keepsOutput = false
                let y = norm.forward(Tensor(shape: shape, data: randomFloats(shape.reduce(1, *), seed: 5)), training: true)
                let rebuilt = norm.rebuiltOutput()
                XCTAssertEqual(rebuilt, y, "relu \(relu)")
                XCTAssertTrue(!relu || y.data.contains(0), "the ReLU cut something (relu \(relu))")
            }
        }
    }
}
