import Core
@testable import NeuralNet
import TestSupport
import XCTest

/// Winograd F(2x2, 3x3) (`Winograd+Reference.swift`, `Winograd+Optimized.swift`): the
/// reference loops against the direct convolution, the optimized kernel against the reference
/// loops, both against PyTorch, and the float32 error measured on realistic shapes.
final class WinogradTests: XCTestCase {
    override func tearDown() {
        ConvKernel.forced = nil
        RegisterTile.current = RegisterTile.compiled
        super.tearDown()
    }

    private static func shape(_ n: Int, _ ci: Int, _ h: Int, _ w: Int, _ co: Int) -> ConvGeometry {
        WinogradTesting.shape(n, ci, h, w, co)
    }

    /// Odd heights and widths (a last row or column of tiles half outside the image), 1, 3 and 5
    /// channels, images of 1 to 3 pixels, batches of 2 and 3.
    static let oddShapes: [ConvGeometry] = [
        shape(2, 1, 7, 5, 3),
        shape(3, 3, 9, 11, 5),
        shape(2, 5, 7, 5, 1),
        shape(3, 5, 5, 9, 5),
        shape(2, 3, 1, 1, 2),
        shape(3, 2, 2, 3, 3),
        shape(2, 3, 3, 1, 4),
        shape(2, 4, 8, 6, 4),
    ]

    /// Shapes for the optimized kernel beyond those: rows of more than 16 tiles (widths 35 and
    /// 64, the vectors' ragged end and the interleaved stores), the power-of-two widths whose
    /// tile rows are staged in one move (4, 8, 16), many small images grouped into one GEMM and
    /// a group cut short, more than 256 input channels (the GEMM's depth blocks), a batch
    /// of one, and the classroom's 64- and 128-channel layers on one image (Lesson 2's pass of
    /// a single picture) and on three.
    static let kernelShapes: [ConvGeometry] = oddShapes + [
        shape(3, 4, 5, 35, 6),
        shape(2, 8, 4, 64, 16),
        shape(40, 64, 4, 4, 64),
        shape(9, 16, 8, 8, 24),
        shape(3, 8, 16, 16, 8),
        shape(2, 260, 3, 3, 8),
        shape(1, 16, 32, 32, 16),
        shape(1, 64, 8, 8, 64),
        shape(1, 128, 4, 4, 128),
        shape(3, 64, 8, 8, 64),
    ]

    // MARK: - The reference loops against the direct convolution

    /// Absolute tolerance for a sum of `terms` products of values in [-1, 1): 1e-6 · √terms.
    static func sumTolerance(_ terms: Int) -> Double { 1e-6 * Double(terms).squareRoot() }

    /// The weight gradient's: 2.5e-6 · √(batch · pixels) (its sums run over every output).
    static func weightSumTolerance(_ g: ConvGeometry) -> Double { 2.5e-6 * Double(g.batch * g.outPixels).squareRoot() }

    /// The Winograd reference loops give the direct reference's numbers in every pass, on odd
    /// shapes, with inputs uniform in [-1, 1), within `atol` (float rounding: a wrong
    /// coefficient would be off by the size of the values, about 1).
    ///
    /// Rounding errors of a sum of d products grow like √d: the tolerances are
    /// `sumTolerance(d)` and `weightSumTolerance(g)` above, about 3x the largest measured here and in
    /// `testOptimizedMatchesReferenceLoops` (max |diff| / √d up to 3.5e-7 for the forward and
    /// backward-data sums over 9·channels products, 8e-7 for the weight gradient's over
    /// batch · pixels).
    func testReferenceMatchesDirectReference() {
        WinogradTesting.assertReferenceMatchesDirect(Self.oddShapes, algorithm: .f2x2, rtol: 1e-5,
                                                     sumTolerance: Self.sumTolerance,
                                                     weightSumTolerance: Self.weightSumTolerance, label: "winograd reference")
    }

    // MARK: - The optimized kernel against the reference loops

    /// The optimized kernel, forced, against the Winograd reference loops: the transforms add
    /// in the same order, so only the GEMM's sums (fused multiply-adds, 256-deep blocks) round
    /// differently; the tolerances are those of `testReferenceMatchesDirectReference`.
    func testOptimizedMatchesReferenceLoops() {
        ConvKernel.forced = .winograd
        for (i, g) in Self.kernelShapes.enumerated() {
            for pass in ConvKernel.Pass.allCases { XCTAssertEqual(ConvKernel.choose(g, pass), .winograd) }
            let (x, w, dy) = inputs(g, seed: 100 + i)
            var reference = [Float](repeating: 0, count: dy.count), optimized = [Float](repeating: 7, count: dy.count)
            Winograd.forwardReference(g, x: x, w: w, y: &reference)
            Convolution.forwardOptimized(g, x: x, w: w, y: &optimized)
            assertClose(optimized, reference, rtol: 1e-5, atol: Self.sumTolerance(9 * g.inChannels),
                        "winograd optimized forward, case \(i)")

            var dxReference = [Float](repeating: 0, count: x.count), dxOptimized = [Float](repeating: 7, count: x.count)
            Winograd.backwardDataReference(g, dy: dy, w: w, dx: &dxReference)
            Convolution.backwardDataOptimized(g, dy: dy, w: w, dx: &dxOptimized)
            assertClose(dxOptimized, dxReference, rtol: 1e-5, atol: Self.sumTolerance(9 * g.outChannels),
                        "winograd optimized dx, case \(i)")

            var dwReference = randomFloats(w.count, seed: 98), dwOptimized = dwReference
            Winograd.backwardWeightsReference(g, x: x, dy: dy, dw: &dwReference, accumulate: true)
            Convolution.backwardWeightsOptimized(g, x: x, dy: dy, dw: &dwOptimized, accumulate: true)
            assertClose(dwOptimized, dwReference, rtol: 1e-5, atol: Self.weightSumTolerance(g),
                        "winograd optimized dw (accumulate), case \(i)")
            var dwOverwritten = [Float](repeating: 5, count: w.count), dwFresh = [Float](repeating: 0, count: w.count)
            Winograd.backwardWeightsReference(g, x: x, dy: dy, dw: &dwFresh)
            Convolution.backwardWeightsOptimized(g, x: x, dy: dy, dw: &dwOverwritten)
            assertClose(dwOverwritten, dwFresh, rtol: 1e-5, atol: Self.weightSumTolerance(g),
                        "winograd optimized dw (overwrite), case \(i)")
        }
    }

    /// The optimized filter transforms (16 filters per vector, the rest of a row one by one)
    /// give the reference's `G g Gᵀ` bit for bit, forward and flipped for backward-data, on
    /// rows of transformed filters that are whole vectors, a vector and a tail, and tails only.
    func testFilterTransformsEqualTheReferenceBitForBit() {
        for (outChannels, inChannels) in [(3, 37), (33, 5), (16, 16), (2, 7)] {
            let w = randomFloats(outChannels * inChannels * 9, seed: UInt64(outChannels * 100 + inChannels))
            for flipped in [false, true] {
                let (outs, ins) = flipped ? (inChannels, outChannels) : (outChannels, inChannels)
                var u = [Float](repeating: .nan, count: 16 * outs * ins)
                u.withUnsafeMutableBufferPointer { Winograd.transformFilters(w, outChannels: outChannels, inChannels: inChannels,
                                                                              flipped: flipped, into: $0.baseAddress!) }
                var differing = 0
                for o in 0 ..< outs {
                    for i in 0 ..< ins {
                        let (co, ci) = flipped ? (i, o) : (o, i)
                        let filter = (0 ..< 3).map { r in
                            (0 ..< 3).map { c in
                                let (rr, cc) = flipped ? (2 - r, 2 - c) : (r, c)
                                return w[(co * inChannels + ci) * 9 + rr * 3 + cc]
                            }
                        }
                        let expected = Winograd.filterTransform(filter)
                        for point in 0 ..< 16 where u[point * outs * ins + o * ins + i].bitPattern
                            != expected[point / 4][point % 4].bitPattern {
                            differing += 1
                        }
                    }
                }
                print("filter transform \(outChannels)x\(inChannels)\(flipped ? " flipped" : ""): "
                      + "\(differing) of \(u.count) values differ from the reference")
                XCTAssertEqual(differing, 0, "\(outChannels)x\(inChannels) flipped \(flipped)")
            }
        }
    }

    /// The optimized transform of the weight gradient's sums (16 channel pairs per vector, the
    /// rest one by one), from two cores' partial sums, gives the reference's `Gᵀ P G` of their
    /// sum bit for bit, written or added to `dw`.
    func testFilterGradientTransformsEqualTheReferenceBitForBit() {
        for (outChannels, inChannels) in [(3, 37), (16, 16), (2, 7)] {
            let pairs = outChannels * inChannels
            let p = randomFloats(2 * 16 * pairs, seed: UInt64(pairs))
            let start = randomFloats(pairs * 9, seed: 3)
            for accumulate in [false, true] {
                var dw = start
                dw.withUnsafeMutableBufferPointer {
                    Winograd.transformFilterGradients(p, parts: 2, outChannels: outChannels, inChannels: inChannels,
                                                      dw: $0.baseAddress!, accumulate: accumulate)
                }
                var differing = 0
                for pair in 0 ..< pairs {
                    let sums = (0 ..< 4).map { r in (0 ..< 4).map { c in
                        p[(4 * r + c) * pairs + pair] + p[16 * pairs + (4 * r + c) * pairs + pair]
                    } }
                    let expected = Winograd.filterGradientTransform(sums)
                    for k in 0 ..< 9 {
                        let want = accumulate ? start[pair * 9 + k] + expected[k / 3][k % 3] : expected[k / 3][k % 3]
                        if dw[pair * 9 + k].bitPattern != want.bitPattern { differing += 1 }
                    }
                }
                print("filter gradient transform \(outChannels)x\(inChannels)\(accumulate ? ", added" : ""): "
                      + "\(differing) of \(dw.count) values differ from the reference")
                XCTAssertEqual(differing, 0, "\(outChannels)x\(inChannels) accumulate \(accumulate)")
            }
        }
    }

    /// The narrow register tiles (the GEMM's 6x16 micro-kernel) give the wide tiles' numbers
    /// bit for bit, as every other kernel does.
    func testBothRegisterTilesAgree() {
        ConvKernel.forced = .winograd
        for (i, g) in Self.kernelShapes.enumerated() {
            let (x, w, dy) = inputs(g, seed: 200 + i)
            var results: [RegisterTile: [[Float]]] = [:]
            for tile in RegisterTile.allCases {
                RegisterTile.current = tile
                var y = [Float](repeating: 0, count: dy.count), dx = [Float](repeating: 0, count: x.count)
                var dw = [Float](repeating: 0, count: w.count)
                Convolution.forwardOptimized(g, x: x, w: w, y: &y)
                Convolution.backwardDataOptimized(g, dy: dy, w: w, dx: &dx)
                Convolution.backwardWeightsOptimized(g, x: x, dy: dy, dw: &dw)
                results[tile] = [y, dx, dw]
            }
            XCTAssertTrue(results[.wide] == results[.narrow], "case \(i): wide and narrow tiles differ")
        }
    }

    // MARK: - The float32 error, measured

    /// How far Winograd's float32 results are from the direct convolution's, and from float64,
    /// on layers of the classroom network's shapes with inputs and output gradients ~N(0, 1) and
    /// Kaiming-scale weights (std √(2 / (9·Cin))). Printed, llm.c style, per pass: the OK/NOT OK
    /// line against the direct reference loops, then max |diff|, `max rel` = max |diff| /
    /// max |truth| and `rms rel` = √(Σ diff² / Σ truth²) of Winograd against the direct
    /// reference and against float64, beside the float64 error of the direct reference loops
    /// and of the kernel `choose` picks by default.
    ///
    /// Measured (2 threads): against the direct reference, max rel 4.5e-7 / 1.0e-6 forward
    /// (16→16 32² / 128→128 4²), 4.8e-7 / 1.3e-6 backward-data, 1.4e-6 / 5.7e-7
    /// backward-weights. That is mostly the reference's own rounding: against float64,
    /// Winograd's max rel is 1.9e-7 / 5.3e-7, 2.3e-7 / 4.4e-7, 2.0e-7 / 2.4e-7; the direct
    /// reference loops' 4.8e-7 / 1.0e-6, 4.3e-7 / 1.2e-6, 1.4e-6 / 5.6e-7; the default kernels'
    /// 4.6e-7 / 1.1e-6, 5.1e-7 / 1.1e-6, 1.3e-7 / 2.6e-7. So at these sizes Winograd is as
    /// accurate as the direct sums (the 32x32 weight gradient within 1.6x of the direct
    /// kernel's): a running sum over 9·Cin (or batch · pixels) products rounds about as much
    /// as Winograd's transforms plus its sums over Cin products (or tiles, a quarter of the
    /// pixels). The tolerances are about 3x the largest of these: max rel 4e-6 against the
    /// direct reference, 2e-6 against float64.
    func testFloat32ErrorOnRealisticShapes() {
        let shapes = [Self.shape(4, 16, 32, 32, 16), Self.shape(16, 128, 4, 4, 128)]
        for (i, g) in shapes.enumerated() {
            let x = Self.gaussians(g.batch * g.inputImageSize, seed: UInt64(40 + i))
            let w = Self.gaussians(g.weightCount, seed: UInt64(50 + i)).map { $0 * (2 / Float(9 * g.inChannels)).squareRoot() }
            let dy = Self.gaussians(g.batch * g.outputImageSize, seed: UInt64(60 + i))
            let label = "\(g.inChannels)→\(g.outChannels) \(g.height)x\(g.width) batch \(g.batch)"
            for pass in ConvKernel.Pass.allCases {
                let count = pass == .forward ? dy.count : pass == .backwardData ? x.count : w.count
                var direct = [Float](repeating: 0, count: count), winograd = direct, chosen = direct
                let exact: [Double]
                switch pass {
                case .forward:
                    Convolution.forwardReference(g, x: x, w: w, y: &direct)
                    ConvKernel.forced = .winograd
                    Convolution.forwardOptimized(g, x: x, w: w, y: &winograd)
                    ConvKernel.forced = nil
                    Convolution.forwardOptimized(g, x: x, w: w, y: &chosen)
                    exact = Self.exactForward(g, x: x, w: w)
                case .backwardData:
                    Convolution.backwardDataReference(g, dy: dy, w: w, dx: &direct)
                    ConvKernel.forced = .winograd
                    Convolution.backwardDataOptimized(g, dy: dy, w: w, dx: &winograd)
                    ConvKernel.forced = nil
                    Convolution.backwardDataOptimized(g, dy: dy, w: w, dx: &chosen)
                    exact = Self.exactBackwardData(g, dy: dy, w: w)
                case .backwardWeights:
                    Convolution.backwardWeightsReference(g, x: x, dy: dy, dw: &direct)
                    ConvKernel.forced = .winograd
                    Convolution.backwardWeightsOptimized(g, x: x, dy: dy, dw: &winograd)
                    ConvKernel.forced = nil
                    Convolution.backwardWeightsOptimized(g, x: x, dy: dy, dw: &chosen)
                    exact = Self.exactBackwardWeights(g, x: x, dy: dy)
                }
                let scale = Double(direct.map { abs($0) }.max() ?? 1)
                let c = compare(winograd, direct, rtol: 0, atol: 4e-6 * scale,
                                "winograd \(pass) \(label) against the direct reference (max rel tolerance 4e-6)")
                XCTAssertTrue(c.ok, c.description)
                let againstDirect = Self.relativeError(winograd, direct.map(Double.init))
                let againstExact = Self.relativeError(winograd, exact)
                print("       winograd against the direct reference: \(againstDirect)")
                print("       against float64: winograd \(againstExact)")
                print("                        direct reference \(Self.relativeError(direct, exact))")
                print("                        default kernel (\(ConvKernel.choose(g, pass).rawValue)) "
                      + "\(Self.relativeError(chosen, exact))")
                XCTAssertLessThanOrEqual(againstExact.maxRelative, 2e-6, "winograd \(pass) \(label) against float64")
            }
        }
    }

    // MARK: - PyTorch

    /// The reference loops and the optimized kernel against PyTorch's 3x3 stride-1 convolution
    /// (forward, input gradient, weight gradient), with the tolerance `ConvolutionTests` uses for
    /// every other kernel.
    func testAgainstPyTorch() throws {
        let f = try Fixture("conv2d_k3_s1")
        let x = try f.tensor("x"), w = try f.tensor("w"), gy = try f.tensor("gy")
        let g = ConvGeometry(batch: x.shape[0], inChannels: x.shape[1], height: x.shape[2], width: x.shape[3],
                             outChannels: w.shape[0], kernel: w.shape[2],
                             stride: f.meta("stride") as! Int, padding: f.meta("padding") as! Int)
        let (y, gx, gw) = (try f.tensor("y").data, try f.tensor("gx").data, try f.tensor("gw").data)
        var out = [Float](repeating: 0, count: y.count), dx = [Float](repeating: 0, count: gx.count)
        var dw = [Float](repeating: 0, count: gw.count)
        Winograd.forwardReference(g, x: x.data, w: w.data, y: &out)
        Winograd.backwardDataReference(g, dy: gy.data, w: w.data, dx: &dx)
        Winograd.backwardWeightsReference(g, x: x.data, dy: gy.data, dw: &dw)
        assertClose(out, y, "conv2d_k3_s1 y [winograd reference]")
        assertClose(dx, gx, "conv2d_k3_s1 gx [winograd reference]")
        assertClose(dw, gw, "conv2d_k3_s1 gw [winograd reference]")

        ConvKernel.forced = .winograd
        out = [Float](repeating: 0, count: y.count); dx = [Float](repeating: 0, count: gx.count)
        dw = [Float](repeating: 0, count: gw.count)
        Convolution.forwardOptimized(g, x: x.data, w: w.data, y: &out)
        Convolution.backwardDataOptimized(g, dy: gy.data, w: w.data, dx: &dx)
        Convolution.backwardWeightsOptimized(g, x: x.data, dy: gy.data, dw: &dw)
        assertClose(out, y, "conv2d_k3_s1 y [winograd optimized]")
        assertClose(dx, gx, "conv2d_k3_s1 gx [winograd optimized]")
        assertClose(dw, gw, "conv2d_k3_s1 gw [winograd optimized]")
    }

    // MARK: - Choice

    /// `choose` takes Winograd F(2x2, 3x3) for a 3x3 stride-1 layer exactly when both sides
    /// have at least `ConvKernel.winogradChannels` (64) channels and F(4x4, 3x3) does not take
    /// it (here: F(4x4) turned off, then at its default, where it takes the planes it covers),
    /// in every pass and both register tiles; another threshold (the benchmark's
    /// `--winograd-from`) moves the line; strided and 1x1 layers never take it.
    func testChooseTakesWinogradFromSixtyFourChannels() {
        ConvKernel.forced = nil
        defer {
            ConvKernel.winogradChannels = ConvKernel.defaultWinogradChannels
            ConvKernel.winograd4x4Channels = ConvKernel.defaultWinograd4x4Channels
        }
        // The stride-1 3x3 layers of the classroom ResNet-18 (width 16) and of width 64.
        var classroom: [ConvGeometry] = []
        for width in [16, 64] {
            classroom.append(Self.shape(128, 3, 32, 32, width))
            for (channels, side) in [(width, 32), (2 * width, 16), (4 * width, 8), (8 * width, 4)] {
                classroom.append(Self.shape(128, channels, side, side, channels))
            }
        }
        var taken = 0
        for (threshold, from4x4) in [(ConvKernel.defaultWinogradChannels, 4096), (128, 4096),
                                     (ConvKernel.defaultWinogradChannels, ConvKernel.defaultWinograd4x4Channels)] {
            ConvKernel.winogradChannels = threshold
            ConvKernel.winograd4x4Channels = from4x4
            for g in Self.kernelShapes + classroom {
                let fourByFour = Winograd4x4.applies(g) && min(g.inChannels, g.outChannels) >= from4x4
                let expected = min(g.inChannels, g.outChannels) >= threshold && !fourByFour
                for pass in ConvKernel.Pass.allCases {
                    XCTAssertTrue(ConvKernel.supports(.winograd, g, pass))
                    for tile in RegisterTile.allCases {
                        RegisterTile.current = tile
                        XCTAssertEqual(ConvKernel.choose(g, pass) == .winograd, expected, "\(g) \(pass) from \(threshold)")
                        if expected { taken += 1 }
                    }
                }
            }
        }
        XCTAssertGreaterThan(taken, 0)
        XCTAssertEqual(ConvKernel.defaultWinogradChannels, 64)
        let strided = ConvGeometry(batch: 2, inChannels: 64, height: 8, width: 8, outChannels: 64, kernel: 3, stride: 2,
                                   padding: 1)
        let pointwise = ConvGeometry(batch: 2, inChannels: 64, height: 8, width: 8, outChannels: 64, kernel: 1, stride: 1,
                                     padding: 0)
        for g in [strided, pointwise] {
            for pass in ConvKernel.Pass.allCases {
                XCTAssertFalse(ConvKernel.supports(.winograd, g, pass))
                XCTAssertNotEqual(ConvKernel.choose(g, pass), .winograd)
            }
        }
    }

    // MARK: - Helpers

    /// How far `a` is from `b`: max |a - b|, that over max |b|, and √(Σ (a - b)² / Σ b²).
    struct RelativeError: CustomStringConvertible {
        let maxAbsolute: Double, maxRelative: Double, rmsRelative: Double
        var description: String {
            String(format: "max |diff| %.3g, max rel %.3g, rms rel %.3g", maxAbsolute, maxRelative, rmsRelative)
        }
    }

    static func relativeError(_ a: [Float], _ b: [Double]) -> RelativeError {
        var worst = 0.0, largest = 0.0, squares = 0.0, norm = 0.0
        for i in a.indices {
            let d = Double(a[i]) - b[i]
            worst = max(worst, abs(d)); largest = max(largest, abs(b[i]))
            squares += d * d; norm += b[i] * b[i]
        }
        return RelativeError(maxAbsolute: worst, maxRelative: worst / largest, rmsRelative: (squares / norm).squareRoot())
    }

    /// `count` samples of N(0, 1) (Box-Muller on `randomFloats`).
    static func gaussians(_ count: Int, seed: UInt64) -> [Float] {
        let u = randomFloats(2 * count, seed: seed).map { Double($0) * 0.5 + 0.5 }  // [0, 1)
        return (0 ..< count).map { i in
            Float((-2 * log(1 - u[2 * i])).squareRoot() * cos(2 * Double.pi * u[2 * i + 1]))
        }
    }

    /// The direct convolution in float64, as ground truth: `y[n, co, p] = Σ w · x` over the 3x3
    /// window (zero padding).
    static func exactForward(_ g: ConvGeometry, x: [Float], w: [Float]) -> [Double] {
        var y = [Double](repeating: 0, count: g.batch * g.outputImageSize)
        let (h, wd) = (g.height, g.width)
        for n in 0 ..< g.batch {
            for co in 0 ..< g.outChannels {
                for oy in 0 ..< h {
                    for ox in 0 ..< wd {
                        var sum = 0.0
                        for ci in 0 ..< g.inChannels {
                            for ky in 0 ..< 3 where oy + ky - 1 >= 0 && oy + ky - 1 < h {
                                for kx in 0 ..< 3 where ox + kx - 1 >= 0 && ox + kx - 1 < wd {
                                    sum += Double(w[((co * g.inChannels + ci) * 3 + ky) * 3 + kx])
                                        * Double(x[((n * g.inChannels + ci) * h + oy + ky - 1) * wd + ox + kx - 1])
                                }
                            }
                        }
                        y[((n * g.outChannels + co) * h + oy) * wd + ox] = sum
                    }
                }
            }
        }
        return y
    }

    /// The input gradient in float64: `dx[n, ci, p] = Σ dy · w` over the outputs that read p.
    static func exactBackwardData(_ g: ConvGeometry, dy: [Float], w: [Float]) -> [Double] {
        var dx = [Double](repeating: 0, count: g.batch * g.inputImageSize)
        let (h, wd) = (g.height, g.width)
        for n in 0 ..< g.batch {
            for ci in 0 ..< g.inChannels {
                for iy in 0 ..< h {
                    for ix in 0 ..< wd {
                        var sum = 0.0
                        for co in 0 ..< g.outChannels {
                            for ky in 0 ..< 3 where iy - ky + 1 >= 0 && iy - ky + 1 < h {
                                for kx in 0 ..< 3 where ix - kx + 1 >= 0 && ix - kx + 1 < wd {
                                    sum += Double(w[((co * g.inChannels + ci) * 3 + ky) * 3 + kx])
                                        * Double(dy[((n * g.outChannels + co) * h + iy - ky + 1) * wd + ix - kx + 1])
                                }
                            }
                        }
                        dx[((n * g.inChannels + ci) * h + iy) * wd + ix] = sum
                    }
                }
            }
        }
        return dx
    }

    /// The weight gradient in float64: `dw[co, ci, ky, kx] = Σ dy · x` over images and outputs.
    static func exactBackwardWeights(_ g: ConvGeometry, x: [Float], dy: [Float]) -> [Double] {
        var dw = [Double](repeating: 0, count: g.weightCount)
        let (h, wd) = (g.height, g.width)
        for co in 0 ..< g.outChannels {
            for ci in 0 ..< g.inChannels {
                for ky in 0 ..< 3 {
                    for kx in 0 ..< 3 {
                        var sum = 0.0
                        for n in 0 ..< g.batch {
                            for oy in 0 ..< h where oy + ky - 1 >= 0 && oy + ky - 1 < h {
                                for ox in 0 ..< wd where ox + kx - 1 >= 0 && ox + kx - 1 < wd {
                                    sum += Double(dy[((n * g.outChannels + co) * h + oy) * wd + ox])
                                        * Double(x[((n * g.inChannels + ci) * h + oy + ky - 1) * wd + ox + kx - 1])
                                }
                            }
                        }
                        dw[((co * g.inChannels + ci) * 3 + ky) * 3 + kx] = sum
                    }
                }
            }
        }
        return dw
    }

    /// x, w, dy uniform in [-1, 1), as `ConvolutionTests` draws them.
    private func inputs(_ g: ConvGeometry, seed: Int) -> ([Float], [Float], [Float]) {
        WinogradTesting.inputs(g, seed: seed)
    }
}

extension WinogradTests {
    /// The input transforms of 4x4 images (four planes' tiles gathered into one vector) and of
    /// 8x8 images (one plane's 16 tiles moved into the lanes by shuffles) give the split-row
    /// path's transformed tiles bit for bit, for one to seven images (partial vectors of 4x4
    /// tiles), read plain and normalised as they are read, with and without the ReLU.
    func testTheFourByFourAndEightByEightInputTransformsEqualTheSplitRowPath() {
        for size in [4, 8] { compareInputTransformWithTheSplitRowPath(size: size) }
    }

    private func compareInputTransformWithTheSplitRowPath(size: Int) {
        let tiling = Winograd.Tiling(height: size, width: size), channels = 3, imageSize = channels * size * size
        for images in 1 ... 7 {
            let x = randomFloats(images * imageSize, seed: UInt64(images))
            let scale = randomFloats(channels, seed: 50), shift = randomFloats(channels, seed: 51)
            for normalizing in [nil, false, true] as [Bool?] {
                let tiles = images * tiling.perImage, vm = Winograd.TileMatrices(channels: channels, tiles: tiles)
                var fast = [Float](repeating: .nan, count: vm.count), general = fast
                var scratch = [Float](repeating: 0, count: Winograd.TransformScratch.count(tiling, tiles: tiles))
                scale.withUnsafeBufferPointer { a in shift.withUnsafeBufferPointer { b in
                    let affine = normalizing.map { ChannelAffine(scale: a.baseAddress!, shift: b.baseAddress!, relu: $0) }
                    if size == 4 {
                        Winograd.transformInputTiles4x4(x, images: images, imageSize: imageSize, channels: channels,
                                                        v: &fast, vm, affine: affine)
                    } else {
                        var own = [Float](repeating: 0, count: Winograd.TransformScratch.count(tiling, tiles: tiles))
                        own.withUnsafeMutableBufferPointer { s in
                            Winograd.transformInputTiles8x8(x, images: images, imageSize: imageSize, channels: channels,
                                                            v: &fast, vm,
                                                            Winograd.TransformScratch(s.baseAddress!, tiling, tiles: tiles),
                                                            affine: affine)
                        }
                    }
                    scratch.withUnsafeMutableBufferPointer { s in
                        Winograd.transformInputTilesAnySize(x, images: images, imageSize: imageSize,
                                                            channels: channels, tiling, v: &general, vm,
                                                            Winograd.TransformScratch(s.baseAddress!, tiling, tiles: tiles),
                                                            affine: affine)
                    }
                } }
                let differing = differingTiles(fast, general, vm, channels: channels)
                XCTAssertEqual(differing, 0, "\(size)x\(size), \(images) images, normalizing \(String(describing: normalizing))")
            }
        }
    }

    /// The output transform (products to 2x2 outputs) and the output-gradient transform (the
    /// weight gradient's 2x2 gradients to 16 points) of 4x4 images, gathered by constant lanes,
    /// and of 8x8 images, placed by shuffles, give the general paths' values bit for bit, for
    /// one to seven images.
    func testTheFourByFourAndEightByEightOutputTransformsEqualTheGeneralPaths() {
        for size in [4, 8] { compareOutputTransformsWithTheGeneralPaths(size: size) }
    }

    private func compareOutputTransformsWithTheGeneralPaths(size: Int) {
        let tiling = Winograd.Tiling(height: size, width: size), channels = 3, imageSize = channels * size * size
        for images in 1 ... 7 {
            let tiles = images * tiling.perImage, mm = Winograd.TileMatrices(channels: channels, tiles: tiles)
            var scratch = [Float](repeating: 0, count: Winograd.TransformScratch.count(tiling, tiles: tiles))
            var own = scratch
            // Products to outputs.
            let m = randomFloats(mm.count, seed: UInt64(images))
            var fast = [Float](repeating: .nan, count: images * imageSize), general = fast
            own.withUnsafeMutableBufferPointer { s in
                let ownScratch = Winograd.TransformScratch(s.baseAddress!, tiling, tiles: tiles)
                if size == 4 {
                    Winograd.transformOutputTiles4x4(m, mm, channels: channels, y: &fast, imageSize: imageSize)
                } else {
                    Winograd.transformOutputTiles8x8(m, mm, channels: channels, y: &fast, imageSize: imageSize, ownScratch)
                }
            }
            scratch.withUnsafeMutableBufferPointer { s in
                Winograd.transformOutputTilesAnySize(m, mm, channels: channels, tiling, y: &general, imageSize: imageSize,
                                                     Winograd.TransformScratch(s.baseAddress!, tiling, tiles: tiles))
            }
            XCTAssertEqual(bitDifferences(fast, general), 0, "\(size)x\(size) outputs, \(images) images")
            // Output gradients to their 16 points.
            let dy = randomFloats(images * imageSize, seed: UInt64(10 + images))
            var zFast = [Float](repeating: .nan, count: mm.count), zGeneral = zFast
            own.withUnsafeMutableBufferPointer { s in
                let ownScratch = Winograd.TransformScratch(s.baseAddress!, tiling, tiles: tiles)
                if size == 4 {
                    Winograd.transformOutputGradientTiles4x4(dy, images: images, imageSize: imageSize, channels: channels,
                                                             z: &zFast, mm)
                } else {
                    Winograd.transformOutputGradientTiles8x8(dy, images: images, imageSize: imageSize, channels: channels,
                                                             z: &zFast, mm, ownScratch)
                }
            }
            scratch.withUnsafeMutableBufferPointer { s in
                Winograd.transformOutputGradientTilesAnySize(dy, images: images, imageSize: imageSize, channels: channels,
                                                             tiling, z: &zGeneral, mm,
                                                             Winograd.TransformScratch(s.baseAddress!, tiling, tiles: tiles))
            }
            XCTAssertEqual(differingTiles(zFast, zGeneral, mm, channels: channels), 0,
                           "\(size)x\(size) output gradients, \(images) images")
        }
    }

    /// How many values of the tiles (not the rows' padding) of two transformed-tile matrices
    /// laid out as `tm` differ at all.
    private func differingTiles(_ a: [Float], _ b: [Float], _ tm: Winograd.TileMatrices, channels: Int) -> Int {
        var differing = 0
        for point in 0 ..< 16 {
            for c in 0 ..< channels {
                let row = point * tm.pointStride + c * tm.rowStride
                differing += bitDifferences(a[row ..< row + tm.tiles], b[row ..< row + tm.tiles])
            }
        }
        return differing
    }
}
