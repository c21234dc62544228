import Core
import NeuralNet
import TestSupport
import XCTest

final class NTXentTests: XCTestCase {
    private func fixtureBatch(_ f: Fixture) throws -> Tensor {
        let z1 = try f.tensor("z1"), z2 = try f.tensor("z2")
        return Tensor(shape: [z1.shape[0] * 2, z1.shape[1]], data: z1.data + z2.data)
    }

    /// Loss and gradients against PyTorch at τ = 0.5 and τ = 0.1, both paths.
    func testAgainstPyTorch() throws {
        for (name, tau) in [("ntxent_tau0.5", Float(0.5)), ("ntxent_tau0.1", Float(0.1))] {
            let f = try Fixture(name)
            XCTAssertEqual(f.meta("tau") as? Double ?? 0, Double(tau), accuracy: 1e-6)
            let z = try fixtureBatch(f)
            let expectedGradient = try f.tensor("gz1").data + f.tensor("gz2").data
            for path in ComputePath.allCases {
                let (loss, gradient) = ComputePath.with(path) { NTXent(temperature: tau).lossAndGradient(z) }
                assertClose([loss], try f.tensor("loss").data, "\(name) loss [\(path)]")
                assertClose(gradient.data, expectedGradient, "\(name) gradient [\(path)]")
            }
        }
    }

    func testGradientMatchesFiniteDifferences() {
        let z = randomFloats(6 * 5, seed: 21)
        let ntxent = NTXent(temperature: 0.5)
        let analytic = ComputePath.with(.reference) { ntxent.lossAndGradient(Tensor(shape: [6, 5], data: z)).gradient }
        let numeric = numericalGradient(of: { v in
            ComputePath.with(.reference) { Double(ntxent.loss(Tensor(shape: [6, 5], data: v))) }
        }, at: z, eps: 1e-3)
        assertClose(analytic.data, numeric, rtol: 1e-2, atol: 1e-3, "ntxent gradient vs finite differences")
    }

    func testOptimizedMatchesReferenceAtTrainingSize() {
        let z = Tensor(shape: [512, 128], data: randomFloats(512 * 128, seed: 5))
        let ntxent = NTXent(temperature: 0.5)
        let r = ComputePath.with(.reference) { ntxent.lossAndGradient(z) }
        let o = ComputePath.with(.optimized) { ntxent.lossAndGradient(z) }
        assertClose([o.loss], [r.loss], rtol: 1e-5, "ntxent 2N=512 loss optimized vs reference")
        assertClose(o.gradient.data, r.gradient.data, rtol: 1e-3, atol: 1e-7, "ntxent 2N=512 gradient optimized vs reference")
    }

    /// When every view equals its positive and the batch's images are mutually orthogonal,
    /// the loss reaches its floor for that geometry: log(e^{1/τ} + 2N-2) - 1/τ.
    func testPerfectAlignmentFloor() {
        let n = 4, d = 8
        var rows = [Float](repeating: 0, count: 2 * n * d)
        for i in 0 ..< n { rows[i * d + i] = 1; rows[(i + n) * d + i] = 2 }
        let loss = NTXent(temperature: 0.5).loss(Tensor(shape: [2 * n, d], data: rows))
        XCTAssertEqual(Double(loss), log(exp(2.0) + Double(2 * n - 2)) - 2, accuracy: 1e-5)
    }
}

extension NTXentTests {
    /// The bound is reached by the configuration its derivation names (pairs collapsed, the
    /// N points a regular simplex), and random batches stay above it.
    func testLowestPossibleLossIsTightAndABound() {
        let n = 5, tau = 0.5
        // A regular simplex of 5 points in 5 dimensions: e_i - centroid, normalised.
        var rows = [Float](repeating: 0, count: 2 * n * n)
        for i in 0 ..< n {
            for k in 0 ..< n {
                let v = Float((k == i ? 1 : 0) - 1.0 / Double(n))
                rows[i * n + k] = v
                rows[(i + n) * n + k] = v
            }
        }
        let simplex = Double(NTXent(temperature: Float(tau)).loss(Tensor(shape: [2 * n, n], data: rows)))
        XCTAssertEqual(simplex, NTXent.lowestPossibleLoss(batch: n, temperature: tau), accuracy: 1e-5)
        for seed in 1 ... 20 {
            let z = Tensor(shape: [2 * n, 4], data: randomFloats(2 * n * 4, seed: UInt64(seed)))
            XCTAssertGreaterThanOrEqual(Double(NTXent(temperature: Float(tau)).loss(z)),
                                        NTXent.lowestPossibleLoss(batch: n, temperature: tau) - 1e-6)
        }
        XCTAssertEqual(NTXent.lowestPossibleLoss(batch: 256, temperature: 0.5), 4.241, accuracy: 0.0005)
        // Chance is what a network that has learned nothing gives: every view the same vector,
        // so every candidate has the same similarity. Our loss on such a batch equals it.
        for n in [4, 256] {
            let same = Tensor(shape: [2 * n, 3], data: (0 ..< 2 * n).flatMap { _ in [Float(0.6), -0.8, 0] })
            let measured = Double(NTXent(temperature: 0.5).loss(same))
            XCTAssertEqual(measured, NTXent.chanceLoss(batch: n), accuracy: 1e-4, "N = \(n)")
        }
    }
}
