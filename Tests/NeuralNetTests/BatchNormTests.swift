import Core
import NeuralNet
import TestSupport
import XCTest

final class BatchNormTests: XCTestCase {
    func testTrainingModeAgainstPyTorch() throws {
        let f = try Fixture("batchnorm2d_train")
        let x = try f.tensor("x"), gy = try f.tensor("gy")
        for path in ComputePath.allCases {
            try ComputePath.with(path) {
                let bn = BatchNorm2d(name: "bn", channels: x.shape[1])
                bn.scale.value = Tensor(shape: [3], data: try f.tensor("gamma").data)
                bn.shift.value = Tensor(shape: [3], data: try f.tensor("beta").data)
                let y = bn.forward(Tensor(shape: x.shape, data: x.data), training: true)
                assertClose(y.data, try f.tensor("y").data, "bn train y [\(path)]")
                assertClose(bn.runningMean.value.data, try f.tensor("running_mean").data, "bn running_mean [\(path)]")
                assertClose(bn.runningVar.value.data, try f.tensor("running_var").data, "bn running_var (unbiased) [\(path)]")
                let gx = bn.backward(Tensor(shape: gy.shape, data: gy.data))
                assertClose(gx.data, try f.tensor("gx").data, "bn gx [\(path)]")
                assertClose(bn.scale.grad.data, try f.tensor("ggamma").data, "bn ggamma [\(path)]")
                assertClose(bn.shift.grad.data, try f.tensor("gbeta").data, "bn gbeta [\(path)]")
            }
        }
    }

    func testEvalModeAgainstPyTorch() throws {
        let f = try Fixture("batchnorm2d_eval")
        let x = try f.tensor("x")
        for path in ComputePath.allCases {
            try ComputePath.with(path) {
                let bn = BatchNorm2d(name: "bn", channels: x.shape[1])
                bn.scale.value = Tensor(shape: [3], data: try f.tensor("gamma").data)
                bn.shift.value = Tensor(shape: [3], data: try f.tensor("beta").data)
                bn.runningMean.value = Tensor(shape: [3], data: try f.tensor("running_mean").data)
                bn.runningVar.value = Tensor(shape: [3], data: try f.tensor("running_var").data)
                let y = bn.forward(Tensor(shape: x.shape, data: x.data), training: false)
                assertClose(y.data, try f.tensor("y").data, "bn eval y [\(path)]")
            }
        }
    }

    /// Optimized against reference on planes that are not a multiple of the SIMD width.
    func testOptimizedMatchesReference() {
        for (n, c, plane) in [(3, 5, 91), (2, 7, 16), (64, 3, 17)] {
            let g = BatchNormGeometry(batch: n, channels: c, planeSize: plane)
            let x = randomFloats(g.count, seed: 1).map { $0 * 3 + 0.5 }, dy = randomFloats(g.count, seed: 2)
            let gamma = randomFloats(c, seed: 3), beta = randomFloats(c, seed: 4)
            var y0 = [Float](repeating: 0, count: g.count), y1 = y0
            var m0 = [Float](repeating: 0, count: c), v0 = m0, m1 = m0, v1 = m0
            batchNormForwardTrainingReference(g, x: x, gamma: gamma, beta: beta, eps: 1e-5, y: &y0, mean: &m0, variance: &v0)
            batchNormForwardTrainingOptimized(g, x: x, gamma: gamma, beta: beta, eps: 1e-5, y: &y1, mean: &m1, variance: &v1)
            assertClose(y1, y0, "bn forward \(n)x\(c)x\(plane)")
            assertClose(v1, v0, "bn variance \(n)x\(c)x\(plane)")
            var dx0 = y0, dx1 = y0, dg0 = gamma, dg1 = gamma, db0 = beta, db1 = beta
            batchNormBackwardReference(g, x: x, dy: dy, gamma: gamma, mean: m0, variance: v0, eps: 1e-5,
                                       dx: &dx0, dgamma: &dg0, dbeta: &db0)
            batchNormBackwardOptimized(g, x: x, dy: dy, gamma: gamma, mean: m0, variance: v0, eps: 1e-5,
                                       dx: &dx1, dgamma: &dg1, dbeta: &db1)
            assertClose(dx1, dx0, atol: 1e-5, "bn dx \(n)x\(c)x\(plane)")
            assertClose(dg1, dg0, atol: 1e-4, "bn dgamma \(n)x\(c)x\(plane)")
            assertClose(db1, db0, atol: 1e-4, "bn dbeta \(n)x\(c)x\(plane)")
            var e0 = y0, e1 = y0
            batchNormForwardEvalReference(g, x: x, gamma: gamma, beta: beta, runningMean: m0, runningVar: v0, eps: 1e-5, y: &e0)
            batchNormForwardEvalOptimized(g, x: x, gamma: gamma, beta: beta, runningMean: m0, runningVar: v0, eps: 1e-5, y: &e1)
            assertClose(e1, e0, "bn eval \(n)x\(c)x\(plane)")
        }
    }

    /// Training-mode backward against finite differences: the mean and variance depend on
    /// every input, which is exactly what a hand-written backward gets wrong.
    func testBackwardMatchesFiniteDifferences() {
        let g = BatchNormGeometry(batch: 3, channels: 2, planeSize: 5)
        let x = randomFloats(g.count, seed: 7), gy = randomFloats(g.count, seed: 8)
        let gamma: [Float] = [1.5, -0.7], beta: [Float] = [0.1, 0.2]
        func loss(_ x: [Float], _ gamma: [Float]) -> Double {
            var y = [Float](repeating: 0, count: g.count), m = [Float](repeating: 0, count: 2), v = m
            batchNormForwardTrainingReference(g, x: x, gamma: gamma, beta: beta, eps: 1e-5, y: &y, mean: &m, variance: &v)
            return dot(y, gy)
        }
        var y = [Float](repeating: 0, count: g.count), m = [Float](repeating: 0, count: 2), v = m
        batchNormForwardTrainingReference(g, x: x, gamma: gamma, beta: beta, eps: 1e-5, y: &y, mean: &m, variance: &v)
        var dx = y, dg = gamma, db = beta
        batchNormBackwardReference(g, x: x, dy: gy, gamma: gamma, mean: m, variance: v, eps: 1e-5,
                                   dx: &dx, dgamma: &dg, dbeta: &db)
        assertClose(dx, numericalGradient(of: { loss($0, gamma) }, at: x, eps: 1e-3), rtol: 2e-2, atol: 2e-3,
                    "bn dx vs finite differences")
        assertClose(dg, numericalGradient(of: { loss(x, $0) }, at: gamma, eps: 1e-3), rtol: 2e-2, atol: 2e-3,
                    "bn dgamma vs finite differences")
    }
}

extension BatchNormTests {
    /// A batch norm with the ReLU fused in computes exactly batch norm followed by ReLU,
    /// forward and backward, on both paths.
    func testFusedReLUEqualsSeparateLayers() {
        let shape = [4, 6, 5, 7]
        let x = Tensor(shape: shape, data: randomFloats(4 * 6 * 35, seed: 31))
        let gy = Tensor(shape: shape, data: randomFloats(4 * 6 * 35, seed: 32))
        for path in ComputePath.allCases {
            ComputePath.with(path) {
                let fused = BatchNorm2d(name: "f", channels: 6, relu: true)
                let plain = BatchNorm2d(name: "p", channels: 6)
                let relu = ReLU()
                for bn in [fused, plain] {
                    bn.scale.value = Tensor(shape: [6], data: randomFloats(6, seed: 33))
                    bn.shift.value = Tensor(shape: [6], data: randomFloats(6, seed: 34))
                }
                let yFused = fused.forward(x, training: true)
                let ySeparate = relu.forward(plain.forward(x, training: true), training: true)
                assertClose(yFused.data, ySeparate.data, rtol: 0, atol: 1e-6, "fused bn+relu forward [\(path)]")
                let dxFused = fused.backward(gy)
                let dxSeparate = plain.backward(relu.backward(gy))
                assertClose(dxFused.data, dxSeparate.data, rtol: 1e-5, atol: 1e-6, "fused bn+relu dx [\(path)]")
                assertClose(fused.scale.grad.data, plain.scale.grad.data, rtol: 1e-5, atol: 1e-6, "fused dgamma [\(path)]")
                assertClose(fused.shift.grad.data, plain.shift.grad.data, rtol: 1e-5, atol: 1e-6, "fused dbeta [\(path)]")
                let evalFused = fused.forward(x, training: false)
                let evalSeparate = relu.forward(plain.forward(x, training: false), training: false)
                assertClose(evalFused.data, evalSeparate.data, rtol: 0, atol: 1e-6, "fused bn+relu eval [\(path)]")
            }
        }
    }
}
