import Core
import NeuralNet
import TestSupport
import XCTest

final class LayerTests: XCTestCase {
    /// The projection head Linear → ReLU → Linear against PyTorch, forward and all gradients.
    func testProjectionHeadAgainstPyTorch() throws {
        let f = try Fixture("mlp_head")
        let x = try f.tensor("x"), w1 = try f.tensor("w1"), w2 = try f.tensor("w2")
        for path in ComputePath.allCases {
            try ComputePath.with(path) {
                var g = SeededGenerator(seed: 0)
                let head = ProjectionHead(inFeatures: w1.shape[1], hidden: w1.shape[0], outFeatures: w2.shape[0],
                                          generator: &g)
                head.first!.weight.value = Tensor(shape: w1.shape, data: w1.data)
                head.first!.bias!.value = Tensor(shape: [w1.shape[0]], data: try f.tensor("b1").data)
                head.second!.weight.value = Tensor(shape: w2.shape, data: w2.data)
                head.second!.bias!.value = Tensor(shape: [w2.shape[0]], data: try f.tensor("b2").data)
                let y = head.forward(Tensor(shape: x.shape, data: x.data), training: true)
                assertClose(y.data, try f.tensor("y").data, "head y [\(path)]")
                let gy = try f.tensor("gy")
                let gx = head.backward(Tensor(shape: gy.shape, data: gy.data))
                assertClose(gx.data, try f.tensor("gx").data, "head gx [\(path)]")
                assertClose(head.first!.weight.grad.data, try f.tensor("gw1").data, "head gw1 [\(path)]")
                assertClose(head.first!.bias!.grad.data, try f.tensor("gb1").data, "head gb1 [\(path)]")
                assertClose(head.second!.weight.grad.data, try f.tensor("gw2").data, "head gw2 [\(path)]")
                assertClose(head.second!.bias!.grad.data, try f.tensor("gb2").data, "head gb2 [\(path)]")
            }
        }
    }

    func testMaxPoolAgainstFiniteDifferences() {
        let pool = MaxPool2d()
        let x = randomFloats(2 * 3 * 7 * 6, seed: 11)
        let input = Tensor(shape: [2, 3, 7, 6], data: x)
        let y = pool.forward(input, training: true)
        XCTAssertEqual(y.shape, [2, 3, 4, 3])
        let gy = randomFloats(y.count, seed: 12)
        let dx = pool.backward(Tensor(shape: y.shape, data: gy))
        let numeric = numericalGradient(of: { x in
            dot(MaxPool2d().forward(Tensor(shape: [2, 3, 7, 6], data: x), training: false).data, gy)
        }, at: x, eps: 1e-4)
        assertClose(dx.data, numeric, rtol: 1e-2, atol: 1e-2, "maxpool dx vs finite differences")
    }

    func testElementwiseKernelsBothPaths() {
        let n = 70_001  // above the threading threshold, not a multiple of 16
        let a = randomFloats(n, seed: 1), b = randomFloats(n, seed: 2)
        var outputs: [ComputePath: [[Float]]] = [:]
        for path in ComputePath.allCases {
            ComputePath.with(path) {
                var r = [Float](repeating: 0, count: n), s = r, t = r, u = r
                reluForward(a, &r, count: n)
                reluBackward(a, b, &s, count: n)
                add(a, b, &t, count: n)
                addReLU(a, b, &u, count: n)
                outputs[path] = [r, s, t, u]
            }
        }
        for (i, name) in ["relu", "relu backward", "add", "add+relu"].enumerated() {
            assertClose(outputs[.optimized]![i], outputs[.reference]![i], rtol: 0, atol: 0, "\(name) optimized = reference")
        }
        XCTAssertEqual(outputs[.reference]![0][0], max(a[0], 0))
    }
}
