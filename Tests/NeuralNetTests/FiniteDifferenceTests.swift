import Core
import NeuralNet
import TestSupport
import XCTest

/// The layers the PyTorch fixtures cover but no other finite-difference check does: the
/// linear layer, global average pooling and the residual join (identity and 1x1 shortcut),
/// each backward held against central differences of `L = Σ y · gy`, on both kernel paths.
final class FiniteDifferenceTests: XCTestCase {
    func testLinearAgainstFiniteDifferences() {
        let (n, inputs, outputs) = (3, 7, 5)
        let x = randomFloats(n * inputs, seed: 21), gy = randomFloats(n * outputs, seed: 22)
        for path in ComputePath.allCases {
            ComputePath.with(path) {
                func layer() -> Linear {
                    var g = SeededGenerator(seed: 4)
                    return Linear(name: "fc", inFeatures: inputs, outFeatures: outputs, generator: &g)
                }
                let fc = layer()
                let w = fc.weight.value.data, b = fc.bias!.value.data
                _ = fc.forward(Tensor(shape: [n, inputs], data: x), training: true)
                let dx = fc.backward(Tensor(shape: [n, outputs], data: gy))
                func loss(x: [Float], w: [Float], b: [Float]) -> Double {
                    let probe = layer()
                    probe.weight.value = Tensor(shape: [outputs, inputs], data: w)
                    probe.bias!.value = Tensor(shape: [outputs], data: b)
                    return dot(probe.forward(Tensor(shape: [n, inputs], data: x), training: false).data, gy)
                }
                assertClose(dx.data, numericalGradient(of: { loss(x: $0, w: w, b: b) }, at: x, eps: 1e-2),
                            rtol: 1e-3, atol: 1e-3, "linear dx vs finite differences [\(path)]")
                assertClose(fc.weight.grad.data, numericalGradient(of: { loss(x: x, w: $0, b: b) }, at: w, eps: 1e-2),
                            rtol: 1e-3, atol: 1e-3, "linear dW vs finite differences [\(path)]")
                assertClose(fc.bias!.grad.data, numericalGradient(of: { loss(x: x, w: w, b: $0) }, at: b, eps: 1e-2),
                            rtol: 1e-3, atol: 1e-3, "linear db vs finite differences [\(path)]")
            }
        }
    }

    func testGlobalAveragePoolAgainstFiniteDifferences() {
        let shape = [2, 3, 5, 7]
        let x = randomFloats(shape.reduce(1, *), seed: 31), gy = randomFloats(2 * 3, seed: 32)
        for path in ComputePath.allCases {
            ComputePath.with(path) {
                let pool = GlobalAveragePool()
                _ = pool.forward(Tensor(shape: shape, data: x), training: true)
                let dx = pool.backward(Tensor(shape: [2, 3], data: gy))
                let numeric = numericalGradient(of: { x in
                    dot(GlobalAveragePool().forward(Tensor(shape: shape, data: x), training: false).data, gy)
                }, at: x, eps: 1e-2)
                assertClose(dx.data, numeric, rtol: 1e-3, atol: 1e-4, "average pool dx vs finite differences [\(path)]")
            }
        }
    }

    /// A whole BasicBlock in training mode: conv-BN-ReLU-conv-BN, the shortcut, and the join
    /// `relu(main + shortcut)`, whose backward sends one gradient down both paths and adds
    /// what returns. With the identity shortcut the input gradient has a direct term; with the
    /// 1x1 stride-2 shortcut it passes a convolution and a batch norm.
    func testResidualJoinAgainstFiniteDifferences() {
        for (inChannels, channels, stride) in [(4, 4, 1), (3, 4, 2)] {
            let shape = [2, inChannels, 6, 6]
            let x = randomFloats(shape.reduce(1, *), seed: 41)
            for path in ComputePath.allCases {
                ComputePath.with(path) {
                    func block() -> BasicBlock {
                        var g = SeededGenerator(seed: 7)
                        return BasicBlock(name: "b", inChannels: inChannels, channels: channels, stride: stride, generator: &g)
                    }
                    let b = block()
                    let y = b.forward(Tensor(shape: shape, data: x), training: true)
                    let gy = randomFloats(y.count, seed: 42)
                    let dx = b.backward(Tensor(shape: y.shape, data: gy))
                    let indices = sampleIndices(x.count, count: 40)
                    // Training-mode forward (batch statistics), as the analytic gradient assumes.
                    let numeric = numericalGradient(of: { x in
                        dot(block().forward(Tensor(shape: shape, data: x), training: true).data, gy)
                    }, at: x, eps: 1e-3, indices: indices)
                    assertClose(indices.map { dx.data[$0] }, numeric, rtol: 2e-2, atol: 2e-2,
                                "residual block \(inChannels)→\(channels)/\(stride) dx vs finite differences [\(path)]")
                }
            }
        }
    }
}
