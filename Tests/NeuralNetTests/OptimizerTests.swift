import Core
import NeuralNet
import TestSupport
import XCTest

final class OptimizerTests: XCTestCase {
    /// Three SGD steps with momentum and weight decay against PyTorch.
    func testSGDAgainstPyTorch() throws {
        let f = try Fixture("sgd_momentum")
        let p = Parameter(name: "w", role: .weight, value: Tensor(shape: [6], data: try f.tensor("p0").data))
        let sgd = SGD(momentum: 0.9, weightDecay: 1e-4)
        for step in 1 ... 3 {
            p.grad = Tensor(shape: [6], data: try f.tensor("g\(step)").data)
            sgd.step([p], lr: 0.1)
            assertClose(p.value.data, try f.tensor("p\(step)").data, "sgd p\(step)")
        }
    }

    func testCosineScheduleAgainstPyTorch() throws {
        let f = try Fixture("sgd_momentum")
        let schedule = CosineSchedule(base: 0.3, totalSteps: 10)
        assertClose((0 ... 10).map { schedule.rate(at: $0) }, try f.tensor("cosine_lrs").data, "CosineAnnealingLR(T_max=10)")
    }

    func testWarmupThenCosine() {
        let s = CosineSchedule(base: 1, totalSteps: 20, warmupSteps: 5)
        XCTAssertEqual(s.rate(at: 0), 0.2, accuracy: 1e-6)
        XCTAssertEqual(s.rate(at: 4), 1, accuracy: 1e-6)
        XCTAssertEqual(s.rate(at: 5), 1, accuracy: 1e-6)
        XCTAssertEqual(s.rate(at: 20), 0, accuracy: 1e-6)
        XCTAssertEqual(CosineSchedule.linearlyScaled(0.03, batchSize: 64), 0.0075, accuracy: 1e-9)
        XCTAssertEqual(CosineSchedule.linearlyScaled(0.03, batchSize: 4096), 0.48, accuracy: 1e-6)
    }

    /// Adam's first step moves every coordinate by lr·sign(g) (bias correction makes
    /// m̂/sqrt(v̂) = g/|g|); the second by the ratio computed by hand.
    func testAdamByHand() {
        let p = Parameter(name: "w", role: .weight, value: Tensor(shape: [3], data: [1, -2, 3]))
        let adam = Adam()
        p.grad = Tensor(shape: [3], data: [0.5, -4, 2])
        adam.step([p], lr: 0.1)
        assertClose(p.value.data, [0.9, -1.9, 2.9], rtol: 1e-5, "adam step 1")
        p.grad = Tensor(shape: [3], data: [1, 1, 1])
        adam.step([p], lr: 0.1)
        let expected: [Float] = [0.5, -4, 2].enumerated().map { i, g1 in
            let m = (0.9 * 0.1 * Double(g1) + 0.1 * 1) / (1 - 0.81)
            let v = (0.999 * 0.001 * Double(g1 * g1) + 0.001 * 1) / (1 - 0.998001)
            return Float([0.9, -1.9, 2.9][i] - 0.1 * m / (v.squareRoot() + 1e-8))
        }
        assertClose(p.value.data, expected, rtol: 1e-5, "adam step 2")
    }

    /// LARS scales a weight's step by η‖w‖/‖g + wd·w‖ and leaves biases and batch-norm
    /// parameters unadapted and undecayed.
    func testLARSTrustRatioAndExclusions() {
        let w = Parameter(name: "w", role: .weight, value: Tensor(shape: [2], data: [3, 4]))      // ‖w‖ = 5
        let b = Parameter(name: "b", role: .bias, value: Tensor(shape: [2], data: [1, 1]))
        w.grad = Tensor(shape: [2], data: [0.6, 0.8])                                             // ‖g‖ = 1
        b.grad = Tensor(shape: [2], data: [0.6, 0.8])
        let lars = LARS(momentum: 0.9, weightDecay: 0, trustCoefficient: 0.001)
        lars.step([w, b], lr: 1)
        assertClose(w.value.data, [3 - 0.005 * 0.6, 4 - 0.005 * 0.8], rtol: 1e-6, "lars weight (ratio 0.005)")
        assertClose(b.value.data, [1 - 0.6, 1 - 0.8], rtol: 1e-6, "lars bias (not adapted)")
    }

    func testOptimizerStateRoundTrip() throws {
        for make in [{ SGD() as Optimizer }, { LARS() as Optimizer }, { Adam() as Optimizer }] {
            let a = make(), b = make()
            let p1 = Parameter(name: "w", role: .weight, value: Tensor(shape: [4], data: [1, 2, 3, 4]))
            let p2 = Parameter(name: "w", role: .weight, value: p1.value)
            for p in [p1, p2] { p.grad = Tensor(shape: [4], data: [0.1, -0.2, 0.3, -0.4]) }
            a.step([p1], lr: 0.1)
            b.step([p2], lr: 0.1)
            let fresh = make()
            try fresh.load(state: a.state, for: [p1])
            fresh.steps = a.steps
            fresh.step([p1], lr: 0.1)
            b.step([p2], lr: 0.1)
            XCTAssertEqual(p1.value.data, p2.value.data, "\(type(of: a)) resumes exactly")
        }
    }

    /// State created ahead (`prepare`, before the first forward pass) changes no update: the
    /// first step still starts SGD's and LARS's momentum from the gradient, and Adam's moments
    /// from zero. No step, no state to save.
    func testPreparedStateChangesNoUpdate() {
        for make in [{ SGD() as Optimizer }, { LARS() as Optimizer }, { Adam() as Optimizer }] {
            let lazy = make(), prepared = make()
            let p1 = Parameter(name: "w", role: .weight, value: Tensor(shape: [4], data: [1, 2, 3, 4]))
            let p2 = Parameter(name: "w", role: .weight, value: p1.value)
            prepared.prepare([p2])
            XCTAssertTrue(prepared.state.isEmpty, "\(type(of: lazy)): no state before a step")
            for (step, g) in [[0.1, -0.2, 0.3, -0.4], [0.5, 0.1, -0.3, 0.2]].enumerated() {
                for p in [p1, p2] { p.grad = Tensor(shape: [4], data: g.map(Float.init)) }
                lazy.step([p1], lr: 0.1)
                prepared.step([p2], lr: 0.1)
                XCTAssertEqual(p1.value.data, p2.value.data, "\(type(of: lazy)) step \(step + 1)")
            }
            XCTAssertEqual(prepared.state, lazy.state, "\(type(of: lazy)): the same state")
        }
    }

    /// State of another model is refused: a wrong size, a stranger's name, a missing parameter.
    func testOptimizerStateIsCheckedAgainstTheModel() throws {
        let w = Parameter(name: "w", role: .weight, value: Tensor(shape: [4], data: [1, 2, 3, 4]))
        let b = Parameter(name: "b", role: .bias, value: Tensor(shape: [2], data: [0, 0]))
        for make in [{ SGD() as Optimizer }, { LARS() as Optimizer }, { Adam() as Optimizer }] {
            let trained = make()
            for p in [w, b] { p.grad = Tensor(shape: p.value.shape, data: [Float](repeating: 0.1, count: p.value.count)) }
            trained.step([w, b], lr: 0.1)
            let state = trained.state
            XCTAssertNoThrow(try make().load(state: state, for: [w, b]))
            XCTAssertNoThrow(try make().load(state: [:], for: [w, b]), "no state: a fresh optimizer")
            let wider = Parameter(name: "w", role: .weight, value: Tensor(shape: [5], data: [1, 2, 3, 4, 5]))
            XCTAssertThrowsError(try make().load(state: state, for: [wider, b]), "wrong size") { error in
                XCTAssertTrue("\(error)".contains("has 4 values, its parameter 5"), "\(error)")
            }
            XCTAssertThrowsError(try make().load(state: state, for: [w]), "a stranger's state") { error in
                XCTAssertTrue("\(error)".contains("belongs to no parameter"), "\(error)")
            }
            let extra = Parameter(name: "c", role: .weight, value: Tensor(shape: [1], data: [0]))
            XCTAssertThrowsError(try make().load(state: state, for: [w, b, extra]), "a parameter without state") { error in
                XCTAssertTrue("\(error)".contains("for parameter 'c'"), "\(error)")
            }
        }
    }

    func testCrossEntropyAgainstPyTorch() throws {
        let f = try Fixture("cross_entropy")
        let logits = try f.tensor("logits"), labels = try f.tensor("labels").data.map { Int($0) }
        let (loss, gradient) = softmaxCrossEntropy(logits: Tensor(shape: logits.shape, data: logits.data), labels: labels)
        assertClose([loss], try f.tensor("loss").data, "cross entropy loss")
        assertClose(gradient.data, try f.tensor("glogits").data, "cross entropy gradient")
        let viaDoubles = crossEntropyMean(logits: logits.data.map(Double.init), labels: labels, classes: logits.shape[1])
        XCTAssertEqual(viaDoubles, Double(loss), accuracy: 1e-5)
    }
}
