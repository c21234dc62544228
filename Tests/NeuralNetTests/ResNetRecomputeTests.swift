import Core
@testable import NeuralNet
import TestSupport
import XCTest

/// A ResNet that drops its block outputs after the forward pass and rebuilds them in backward
/// (`recomputesBlockOutputs`, the default) must train exactly as one that keeps them: same
/// features, same input gradient, same parameter gradients and running statistics, bit for bit.
final class ResNetRecomputeTests: XCTestCase {
    private func assertRecomputingChangesNothing(_ config: ResNetConfig, imageSize: Int,
                                                 convolutions: ResNet.ConvolutionRecomputation = .none) {
        let shape = [3, 3, imageSize, imageSize]
        let images = randomFloats(shape.reduce(1, *), seed: 11)
        var results: [(h: [Float], dx: [Float], grads: [[Float]], stats: [[Float]])] = []
        for recomputes in [false, true] {
            var generator = SeededGenerator(seed: 12)
            let model = ResNet(config, generator: &generator)
            model.recomputesBlockOutputs = recomputes
            model.recomputedConvolutions = convolutions
            model.computesInputGradient = true
            // Two steps, so the second runs on buffers the first left behind.
            var last: (h: [Float], dx: [Float]) = ([], [])
            for step in 0 ..< 2 {
                let h = model.forward(Tensor(shape: shape, data: images), training: true)
                let dx = model.backward(Tensor(shape: h.shape, data: randomFloats(h.count, seed: 13 + UInt64(step))))
                last = (h.data, dx.data)
            }
            results.append((last.h, last.dx, model.parameters.map(\.grad.data), model.buffers.map(\.value.data)))
        }
        let (kept, recomputed) = (results[0], results[1])
        let differing = zip(kept.grads, recomputed.grads).filter { $0 != $1 }.count
        print("\(config) on \(imageSize)x\(imageSize), convolutions recomputed: \(convolutions.rawValue): features \(kept.h == recomputed.h ? "identical" : "DIFFER"), "
              + "input gradient \(kept.dx == recomputed.dx ? "identical" : "DIFFERS"), "
              + "\(kept.grads.count - differing) of \(kept.grads.count) parameter gradients identical, running "
              + "statistics \(kept.stats == recomputed.stats ? "identical" : "DIFFER")")
        XCTAssertEqual(bitDifferences(kept.h, recomputed.h), 0, "\(config): features")
        XCTAssertEqual(bitDifferences(kept.dx, recomputed.dx), 0, "\(config): input gradient")
        XCTAssertEqual(differing, 0, "\(config): parameter gradients")
        XCTAssertEqual(kept.stats, recomputed.stats, "\(config): running statistics")
        XCTAssertTrue(kept.dx.contains { $0 != 0 }, "\(config): a gradient reached the images")
    }

    /// ResNet-18 with the CIFAR stem (the stem's norm rebuilds the first block's input; the
    /// identity blocks of layer1 chain back to it), with the ImageNet stem (the max pool's
    /// output is kept instead), and ResNet-50 (Bottleneck blocks, chains of up to six).
    func testRecomputedBlockOutputsGiveTheSameNumbersBitForBit() {
        ComputePath.with(.optimized) {
            assertRecomputingChangesNothing(ResNetConfig(depth: .resnet18, width: 4, stem: .cifar), imageSize: 12)
            assertRecomputingChangesNothing(ResNetConfig(depth: .resnet18, width: 4, stem: .imagenet), imageSize: 32)
            assertRecomputingChangesNothing(ResNetConfig(depth: .resnet50, width: 2, stem: .imagenet), imageSize: 32)
        }
    }

    /// Dropping convolution outputs as well (`recomputedConvolutions`) changes nothing either:
    /// the stem's (rebuilt twice and for the stem's backward, written over by the stem's output
    /// in the CIFAR stem, before the max pool in the ImageNet one), and the first stage's first
    /// convolutions (3x3 in BasicBlock, 1x1 in Bottleneck).
    func testRecomputedConvolutionsGiveTheSameNumbersBitForBit() {
        ComputePath.with(.optimized) {
            for convolutions in [ResNet.ConvolutionRecomputation.stem, .stemAndFirstStage] {
                assertRecomputingChangesNothing(ResNetConfig(depth: .resnet18, width: 4, stem: .cifar), imageSize: 12,
                                                convolutions: convolutions)
                assertRecomputingChangesNothing(ResNetConfig(depth: .resnet18, width: 4, stem: .imagenet), imageSize: 32,
                                                convolutions: convolutions)
            }
            assertRecomputingChangesNothing(ResNetConfig(depth: .resnet50, width: 2, stem: .imagenet), imageSize: 32,
                                            convolutions: .stemAndFirstStage)
        }
    }

    /// The network's own choice: nothing until the kept convolution outputs pass the
    /// threshold (the classroom step from 437 views: 153,600 floats a view, 614,400 bytes),
    /// the stem's and the first stage's from there; nothing with the ImageNet stem.
    func testTheNetworkChoosesWhatToRecomputeByTheBatchSize() {
        var generator = SeededGenerator(seed: 1)
        let classroom = ResNet(ResNetConfig(depth: .resnet18, width: 16, stem: .cifar), generator: &generator)
        XCTAssertEqual(classroom.keptConvolutionBytes(batch: 1, height: 32, width: 32), 153_600 * 4)
        XCTAssertEqual(classroom.recomputationThreshold, 256 << 20)
        let choices = [128, 436, 437, 512].map { classroom.recomputation(batch: $0, height: 32, width: 32) }
        print("classroom encoder, views 128 / 436 / 437 / 512: \(choices.map(\.rawValue))")
        XCTAssertEqual(choices, [.none, .none, .stemAndFirstStage, .stemAndFirstStage])
        classroom.recomputationThreshold = 1 << 20
        XCTAssertEqual(classroom.recomputation(batch: 2, height: 32, width: 32), .stemAndFirstStage, "a lower threshold")
        let imagenet = ResNet(ResNetConfig(depth: .resnet18, width: 4, stem: .imagenet), generator: &generator)
        XCTAssertEqual(imagenet.recomputation(batch: 4096, height: 224, width: 224), .none, "the ImageNet stem keeps all")
    }

    /// A block that kept neither its input nor its output rebuilds the output bit for bit, and
    /// its backward with both handed back equals the backward of a block that kept them, also
    /// when it dropped its first convolution's output and computes it again in backward.
    func testABlockRebuildsItsOutputFromWhatItKept() {
        ComputePath.with(.optimized) {
            for (inChannels, channels, stride, dropsFirst) in [(8, 8, 1, false), (8, 16, 2, false), (8, 8, 1, true),
                                                               (8, 16, 2, true)] {
                let x = Tensor(shape: [2, inChannels, 10, 10], data: randomFloats(2 * inChannels * 100, seed: 5))
                var results: [(y: [Float], dx: [Float], grads: [[Float]])] = []
                for keeps in [true, false] {
                    var g = SeededGenerator(seed: 6)
                    let block = BasicBlock(name: "b", inChannels: inChannels, channels: channels, stride: stride, generator: &g)
                    block.recomputesFirstConvolution = dropsFirst
                    let y = block.forward(x, training: true, keepsInputAndOutput: keeps)
                    let dy = Tensor(shape: y.shape, data: randomFloats(y.count, seed: 7))
                    let dx: Tensor
                    if keeps {
                        dx = block.backward(dy)
                    } else {
                        let rebuilt = block.recomputeOutput(input: block.needsInputToRecomputeOutput ? x : nil)
                        XCTAssertEqual(bitDifferences(rebuilt.data, y.data), 0, "\(inChannels)→\(channels)/\(stride), first dropped \(dropsFirst): rebuilt output")
                        dx = block.backward(dy, output: rebuilt, input: x)
                    }
                    results.append((y.data, dx.data, block.parameters.map(\.grad.data)))
                }
                XCTAssertEqual(bitDifferences(results[0].dx, results[1].dx), 0, "\(inChannels)→\(channels)/\(stride), first dropped \(dropsFirst): input gradient")
                XCTAssertEqual(bitDifferences(results[0].grads.flatMap { $0 }, results[1].grads.flatMap { $0 }), 0,
                               "\(inChannels)→\(channels)/\(stride), first dropped \(dropsFirst): parameter gradients")
            }
        }
    }
}
