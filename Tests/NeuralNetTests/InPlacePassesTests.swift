import Core
@testable import NeuralNet
import TestSupport
import XCTest

/// The passes that write their result over a tensor the caller no longer needs (to keep fewer
/// activation-sized tensors alive at once) must give the numbers of the passes that write a
/// tensor of their own, bit for bit.
final class InPlacePassesTests: XCTestCase {
    private let shape = [3, 5, 7, 3]
    private var count: Int { shape.reduce(1, *) }

    private func norm(relu: Bool) -> BatchNorm2d {
        let n = BatchNorm2d(name: "bn", channels: 5, relu: relu)
        n.scale.value = Tensor(shape: [5], data: randomFloats(5, seed: 1))
        n.shift.value = Tensor(shape: [5], data: randomFloats(5, seed: 2))
        return n
    }

    private func tensor(seed: UInt64) -> Tensor { Tensor(shape: shape, data: randomFloats(count, seed: seed)) }

    /// A norm's output written over its input, its join written over the residual, and its
    /// backward written over the gradient; the outputs rebuilt over a tensor the same way.
    func testNormPassesWrittenInPlaceEqualTheOnesWithATensorOfTheirOwn() {
        ComputePath.with(.optimized) {
            let x = tensor(seed: 5), residual = tensor(seed: 6), dy = tensor(seed: 7)
            for relu in [true, false] {
                // Forward over the input, then the input handed back for backward.
                let plain = norm(relu: relu), overwriting = norm(relu: relu)
                let y = plain.forward(x, training: true)
                let written = overwriting.forwardOverwritingInput(Tensor(shape: shape, data: x.data))
                XCTAssertEqual(bitDifferences(written.data, y.data), 0, "relu \(relu): output over the input")
                XCTAssertFalse(overwriting.holdsInput, "relu \(relu): nothing kept")
                XCTAssertEqual(overwriting.buffers.map(\.value.data), plain.buffers.map(\.value.data), "running statistics")
                XCTAssertEqual(bitDifferences(overwriting.recomputeOutput(over: Tensor(shape: shape, data: x.data)).data, y.data),
                               0, "relu \(relu): output rebuilt over a copy of the input")
                overwriting.restoreInput(x)
                XCTAssertTrue(overwriting.holdsInput)
                // Backward over the gradient: the mask from the input (optimized), the same numbers.
                let dxPlain = plain.backward(dy)
                let dxOverwriting = overwriting.backward(Tensor(shape: shape, data: dy.data), overwriting: true)
                XCTAssertEqual(bitDifferences(dxOverwriting.data, dxPlain.data), 0, "relu \(relu): input gradient over dy")
                XCTAssertEqual(overwriting.scale.grad.data, plain.scale.grad.data, "relu \(relu): scale gradient")
                XCTAssertEqual(overwriting.shift.grad.data, plain.shift.grad.data, "relu \(relu): shift gradient")
            }
            // The join written over the residual, and rebuilt over a copy of it.
            let joining = norm(relu: false), over = norm(relu: false)
            let joined = joining.forward(x, joining: residual)
            let joinedOver = over.forward(Tensor(shape: shape, data: x.data), joiningOver: Tensor(shape: shape, data: residual.data))
            XCTAssertEqual(bitDifferences(joinedOver.data, joined.data), 0, "join over the residual")
            XCTAssertTrue(joined.data.contains(0) && joined.data.contains { $0 > 0 }, "the join's ReLU cut something")
            XCTAssertEqual(bitDifferences(over.recomputeOutput(joiningOver: Tensor(shape: shape, data: residual.data)).data,
                                          joined.data), 0, "join rebuilt over the residual")
            XCTAssertEqual(bitDifferences(over.backward(dy, overwriting: true).data, joining.backward(dy).data), 0,
                           "the joined norm's input gradient")
        }
    }

    /// A 1x1 stride-2 shortcut adds its input gradient into the block's as it writes it:
    /// bit for bit the gradient written into a tensor of its own, then added (vector rows of
    /// 16 and 8 output columns and scalar ones; a -0 in the sum becomes +0 either way). Other
    /// shapes, and the reference path, run the two steps.
    func testTheShortcutAddsItsInputGradientAsItWritesIt() {
        for (height, width, path) in [(32, 32, ComputePath.optimized), (16, 16, .optimized), (6, 10, .optimized),
                                      (8, 8, .reference)] {
            ComputePath.with(path) {
                let g = ConvGeometry(batch: 3, inChannels: 6, height: height, width: width, outChannels: 5, kernel: 1,
                                     stride: 2, padding: 0)
                XCTAssertTrue(Convolution.addsInputGradientInPlace(g))
                assertAddingEqualsTwoSteps(g, "\(height)x\(width) \(path)")
            }
        }
        ComputePath.with(.optimized) {
            let g = ConvGeometry(batch: 2, inChannels: 4, height: 6, width: 6, outChannels: 3, kernel: 3, stride: 1, padding: 1)
            XCTAssertFalse(Convolution.addsInputGradientInPlace(g), "a 3x3 convolution writes its own tensor")
            assertAddingEqualsTwoSteps(g, "3x3 fallback")
        }
    }

    private func assertAddingEqualsTwoSteps(_ g: ConvGeometry, _ label: String) {
        let dy = randomFloats(g.batch * g.outputImageSize, seed: 11), w = randomFloats(g.weightCount, seed: 12)
        var start = randomFloats(g.batch * g.inputImageSize, seed: 13)
        for i in stride(from: 0, to: start.count, by: 7) { start[i] = -0.0 }
        var gradient = [Float](repeating: .nan, count: start.count)
        Convolution.backwardData(g, dy: dy, w: w, dx: &gradient)
        var twoSteps = start
        for i in twoSteps.indices { twoSteps[i] += gradient[i] }
        var adding = start
        Convolution.backwardDataAdding(g, dy: dy, w: w, dx: &adding)
        print("\(label): \(bitDifferences(adding, twoSteps)) of \(adding.count) values differ from backwardData + add")
        XCTAssertEqual(bitDifferences(adding, twoSteps), 0, label)
        XCTAssertFalse(adding.contains { $0.sign == .minus && $0 == 0 }, "\(label): -0 + +0 is +0")
    }

    /// The layer's adding backward: the same weight gradient, and the input gradient added.
    /// A convolution's output computed again equals the forward's.
    func testAConvolutionAddsItsGradientAndRecomputesItsOutput() {
        ComputePath.with(.optimized) {
            let generator = SeededGenerator(seed: 4)
            let x = Tensor(shape: [2, 6, 8, 8], data: randomFloats(2 * 6 * 64, seed: 8))
            var results: [(dw: [Float], dx: [Float])] = []
            let sum = Tensor(shape: x.shape, data: randomFloats(x.count, seed: 9))
            for adding in [false, true] {
                var g = generator  // the same weights both times
                let conv = Conv2d(name: "down", inChannels: 6, outChannels: 4, kernel: 1, stride: 2, generator: &g)
                let y = conv.forward(x, training: true)
                XCTAssertEqual(bitDifferences(conv.recomputeOutput(input: nil).data, y.data), 0, "recomputed output")
                let dy = Tensor(shape: y.shape, data: randomFloats(y.count, seed: 10))
                if adding {
                    var total = sum
                    conv.backward(dy, input: nil, addingInputGradientTo: &total)
                    results.append((conv.weight.grad.data, total.data))
                } else {
                    let dx = conv.backward(dy)
                    results.append((conv.weight.grad.data, zip(sum.data, dx.data).map { $0 + $1 }))
                }
            }
            XCTAssertEqual(bitDifferences(results[0].dw, results[1].dw), 0, "weight gradient")
            XCTAssertEqual(bitDifferences(results[0].dx, results[1].dx), 0, "input gradient added")
        }
    }
}
