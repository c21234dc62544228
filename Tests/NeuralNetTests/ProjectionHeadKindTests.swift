import Core
import NeuralNet
import TestSupport
import XCTest

/// The three heads Lesson 4 compares: the MLP (checked against PyTorch in LayerTests), a single
/// linear layer, and none. Each head's input gradient against central differences of
/// `L = Σ z · gz`, and the shapes and parameter counts each head must have.
final class ProjectionHeadKindTests: XCTestCase {
    private func head(_ kind: ProjectionHead.Kind) -> ProjectionHead {
        var g = SeededGenerator(seed: 9)
        return ProjectionHead(inFeatures: 6, hidden: 10, outFeatures: 4, kind: kind, generator: &g)
    }

    func testShapesAndParameterCounts() {
        let x = Tensor(shape: [3, 6], data: randomFloats(18, seed: 1))
        XCTAssertEqual(head(.mlp).forward(x, training: false).shape, [3, 4])
        XCTAssertEqual(head(.mlp).parameterCount, 6 * 10 + 10 + 10 * 4 + 4)
        XCTAssertEqual(head(.linear).forward(x, training: false).shape, [3, 4])
        XCTAssertEqual(head(.linear).parameterCount, 6 * 4 + 4)
        XCTAssertEqual(head(.linear).parameters.map(\.name), ["projector.0.weight", "projector.0.bias"])
        // No head: z is h itself, and the gradient passes through unchanged.
        let none = head(.none)
        XCTAssertEqual(none.forward(x, training: true).data, x.data)
        XCTAssertEqual(none.backward(x).data, x.data)
        XCTAssertEqual(none.parameterCount, 0)
        XCTAssertEqual(none.outFeatures, 6)
    }

    func testInputGradientsAgainstFiniteDifferences() {
        let (n, inputs) = (3, 6)
        let x = randomFloats(n * inputs, seed: 31)
        for kind in ProjectionHead.Kind.allCases {
            let outputs = head(kind).outFeatures
            let gz = randomFloats(n * outputs, seed: 32)
            let layer = head(kind)
            _ = layer.forward(Tensor(shape: [n, inputs], data: x), training: true)
            let dx = layer.backward(Tensor(shape: [n, outputs], data: gz))
            let numerical = numericalGradient(of: { probe in
                dot(self.head(kind).forward(Tensor(shape: [n, inputs], data: probe), training: false).data, gz)
            }, at: x, eps: 1e-2)
            assertClose(dx.data, numerical, rtol: 1e-3, atol: 1e-3, "\(kind) head dx vs finite differences")
        }
    }
}
