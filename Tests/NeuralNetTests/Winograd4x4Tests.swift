import Core
@testable import NeuralNet
import TestSupport
import XCTest

/// Winograd F(4x4, 3x3) (`Winograd.Algorithm.f4x4`, `Winograd4x4`): the reference loops
/// against the direct convolution, the optimized kernel against the reference loops in both
/// register tiles, its transforms against the reference's small matrix products bit for bit,
/// and its float32 error beside F(2x2)'s, measured on the classroom's shapes.
final class Winograd4x4Tests: XCTestCase {
    override func tearDown() {
        ConvKernel.forced = nil
        RegisterTile.current = RegisterTile.compiled
        super.tearDown()
    }

    private static func shape(_ n: Int, _ ci: Int, _ h: Int, _ w: Int, _ co: Int) -> ConvGeometry {
        WinogradTesting.shape(n, ci, h, w, co)
    }

    /// Shapes of the optimized kernel: blocks of 16 images full and partial (1, 5, 17, 33
    /// images), 4x4, 8x8, 4x8, 8x4 and 16x16 planes, odd channel counts (filter vectors with
    /// empty lanes), more than 256 input or output channels (depth blocks of the forward or the
    /// backward-data GEMMs, whose input tiles are written straight into GEMM panels), an odd
    /// number of tile vectors (a half-empty last panel), and groups of images cut short on the
    /// classroom's 64- and 128-channel layers.
    static let kernelShapes: [ConvGeometry] = [
        shape(1, 3, 4, 4, 5),
        shape(5, 7, 8, 8, 9),
        shape(17, 16, 8, 8, 16),
        shape(33, 5, 4, 8, 17),
        shape(3, 8, 8, 4, 6),
        shape(2, 8, 16, 16, 8),
        shape(2, 260, 4, 4, 8),
        shape(3, 8, 4, 4, 270),
        shape(20, 64, 8, 8, 64),
        shape(70, 128, 4, 4, 128),
    ]

    /// Odd shapes for the reference loops, which take any plane (a last row or column of tiles
    /// partly outside the image).
    static let referenceShapes: [ConvGeometry] = [
        shape(2, 1, 7, 5, 3),
        shape(3, 3, 9, 11, 5),
        shape(2, 3, 1, 1, 2),
        shape(2, 4, 8, 6, 4),
        shape(2, 5, 4, 4, 3),
    ]

    /// Absolute tolerance for a sum of `terms` products of values in [-1, 1), F(4x4)'s
    /// optimized kernel against its reference loops: 2.5e-5 · √terms, 25 times F(2x2)'s. The
    /// two differ only in the order of the GEMMs' sums, but those sums are of transformed
    /// values up to 100 times the inputs (Bᵀ d B multiplies by up to 5 on each side) that the
    /// output transform (by up to 8 on each side) brings back down by cancelling: the largest
    /// measured here was 8.7e-6 · √terms (128 channels of 4x4 planes).
    static func sumTolerance(_ terms: Int) -> Double { 2.5e-5 * Double(terms).squareRoot() }

    /// The weight gradient's: 1e-5 · √(batch · pixels).
    static func weightSumTolerance(_ g: ConvGeometry) -> Double { 1e-5 * Double(g.batch * g.outPixels).squareRoot() }

    private func inputs(_ g: ConvGeometry, seed: Int) -> ([Float], [Float], [Float]) {
        WinogradTesting.inputs(g, seed: seed)
    }

    // MARK: - Reference loops

    /// The F(4x4) reference loops give the direct reference's numbers in every pass, on odd
    /// shapes (a wrong coefficient would be off by about the size of the values, 1).
    func testReferenceMatchesDirectReference() {
        WinogradTesting.assertReferenceMatchesDirect(Self.referenceShapes, algorithm: .f4x4, rtol: 0,
                                                     sumTolerance: Self.sumTolerance,
                                                     weightSumTolerance: Self.weightSumTolerance, label: "F(4x4)")
    }

    // MARK: - The optimized kernel

    /// The optimized kernel, forced, against the F(4x4) reference loops in every pass (only the
    /// GEMMs' sums round differently), and the two register tiles bit for bit.
    func testOptimizedMatchesReferenceLoopsInBothRegisterTiles() {
        ConvKernel.forced = .winograd4x4
        for (i, g) in Self.kernelShapes.enumerated() {
            for pass in ConvKernel.Pass.allCases { XCTAssertEqual(ConvKernel.choose(g, pass), .winograd4x4, "case \(i)") }
            let (x, w, dy) = inputs(g, seed: 100 + i)
            var reference = [Float](repeating: 0, count: dy.count), dxReference = [Float](repeating: 0, count: x.count)
            let dwStart = randomFloats(w.count, seed: 98)
            var dwReference = dwStart
            Winograd.forwardReference(g, x: x, w: w, y: &reference, algorithm: .f4x4)
            Winograd.backwardDataReference(g, dy: dy, w: w, dx: &dxReference, algorithm: .f4x4)
            Winograd.backwardWeightsReference(g, x: x, dy: dy, dw: &dwReference, accumulate: true, algorithm: .f4x4)
            var results: [[[Float]]] = []
            for tile in RegisterTile.allCases {
                RegisterTile.current = tile
                var y = [Float](repeating: 7, count: dy.count), dx = [Float](repeating: 7, count: x.count)
                var dw = dwStart, dwFresh = [Float](repeating: 5, count: w.count)
                Convolution.forwardOptimized(g, x: x, w: w, y: &y)
                Convolution.backwardDataOptimized(g, dy: dy, w: w, dx: &dx)
                Convolution.backwardWeightsOptimized(g, x: x, dy: dy, dw: &dw, accumulate: true)
                Convolution.backwardWeightsOptimized(g, x: x, dy: dy, dw: &dwFresh)
                let label = "case \(i) \(g.batch)x\(g.inChannels)x\(g.height)x\(g.width)→\(g.outChannels), \(tile) tile"
                assertClose(y, reference, rtol: 0, atol: Self.sumTolerance(9 * g.inChannels), "F(4x4) forward, \(label)")
                assertClose(dx, dxReference, rtol: 0, atol: Self.sumTolerance(9 * g.outChannels), "F(4x4) dx, \(label)")
                assertClose(dw, dwReference, rtol: 0, atol: Self.weightSumTolerance(g), "F(4x4) dw added, \(label)")
                let fresh = zip(dw, dwStart).map { $0 - $1 }
                assertClose(dwFresh, fresh, rtol: 0, atol: Self.weightSumTolerance(g), "F(4x4) dw written, \(label)")
                results.append([y, dx, dw, dwFresh])
            }
            XCTAssertTrue(results[0] == results[1], "case \(i): the register tiles differ")
        }
    }

    /// `choose` takes F(4x4) for the 3x3 stride-1 layers on planes it covers with 32 or more
    /// channels on both sides (the classroom's layer2, layer3 and layer4), in every pass and
    /// both register tiles, and for nothing else: not 32x32 planes, not 16 channels, not odd
    /// planes, not strided layers; `--winograd4x4-from` moves the line.
    func testChooseTakesFourByFourWhereItPays() {
        ConvKernel.forced = nil
        defer { ConvKernel.winograd4x4Channels = ConvKernel.defaultWinograd4x4Channels }
        XCTAssertEqual(ConvKernel.defaultWinograd4x4Channels, 32)
        let taken = [Self.shape(128, 32, 16, 16, 32), Self.shape(128, 64, 8, 8, 64), Self.shape(128, 128, 4, 4, 128),
                     Self.shape(2, 512, 4, 4, 512), Self.shape(2, 32, 12, 12, 64)]
        let left = [Self.shape(128, 64, 32, 32, 64), Self.shape(128, 16, 32, 32, 16), Self.shape(128, 16, 8, 8, 16),
                    Self.shape(2, 64, 7, 7, 64), Self.shape(2, 64, 20, 20, 64),
                    ConvGeometry(batch: 2, inChannels: 64, height: 8, width: 8, outChannels: 64, kernel: 3, stride: 2,
                                 padding: 1)]
        for pass in ConvKernel.Pass.allCases {
            for tile in RegisterTile.allCases {
                RegisterTile.current = tile
                for g in taken { XCTAssertEqual(ConvKernel.choose(g, pass), .winograd4x4, "\(g) \(pass)") }
                for g in left { XCTAssertNotEqual(ConvKernel.choose(g, pass), .winograd4x4, "\(g) \(pass)") }
            }
            ConvKernel.winograd4x4Channels = 64
            XCTAssertNotEqual(ConvKernel.choose(taken[0], pass), .winograd4x4)
            XCTAssertEqual(ConvKernel.choose(taken[1], pass), .winograd4x4)
            ConvKernel.winograd4x4Channels = ConvKernel.defaultWinograd4x4Channels
        }
    }

    // MARK: - The float32 error, measured

    /// How far F(4x4)'s float32 results are from float64, beside F(2x2)'s and the direct
    /// reference loops', on the classroom's Winograd layers (128→128 on 4x4 planes, 64→64 on
    /// 8x8) with inputs and output gradients ~N(0, 1) and Kaiming-scale weights, as
    /// `WinogradTests.testFloat32ErrorOnRealisticShapes` measures F(2x2). Printed per pass.
    ///
    /// Measured: F(4x4)'s max rel against float64 is 2.5e-6 to 1.05e-5 (rms rel 1.1e-6 to
    /// 2.8e-6), about ten times the direct reference loops' (7e-7 to 1.2e-6) and twenty times
    /// F(2x2)'s; the bound asserted, 3e-5, is about three times the largest. That is still a
    /// hundred-thousandth of the values' scale, where float16 storage would round at a
    /// thousandth.
    func testFloat32ErrorOnTheClassroomShapes() {
        for (i, g) in [Self.shape(16, 128, 4, 4, 128), Self.shape(8, 64, 8, 8, 64)].enumerated() {
            let x = WinogradTests.gaussians(g.batch * g.inputImageSize, seed: UInt64(40 + i))
            let w = WinogradTests.gaussians(g.weightCount, seed: UInt64(50 + i))
                .map { $0 * (2 / Float(9 * g.inChannels)).squareRoot() }
            let dy = WinogradTests.gaussians(g.batch * g.outputImageSize, seed: UInt64(60 + i))
            let label = "\(g.inChannels)→\(g.outChannels) \(g.height)x\(g.width) batch \(g.batch)"
            for pass in ConvKernel.Pass.allCases {
                let count = pass == .forward ? dy.count : pass == .backwardData ? x.count : w.count
                var results: [ConvKernel: [Float]] = [:]
                for kernel in [ConvKernel.winograd4x4, .winograd] {
                    ConvKernel.forced = kernel
                    var out = [Float](repeating: 0, count: count)
                    switch pass {
                    case .forward: Convolution.forwardOptimized(g, x: x, w: w, y: &out)
                    case .backwardData: Convolution.backwardDataOptimized(g, dy: dy, w: w, dx: &out)
                    case .backwardWeights: Convolution.backwardWeightsOptimized(g, x: x, dy: dy, dw: &out)
                    }
                    results[kernel] = out
                }
                ConvKernel.forced = nil
                var direct = [Float](repeating: 0, count: count)
                let exact: [Double]
                switch pass {
                case .forward:
                    Convolution.forwardReference(g, x: x, w: w, y: &direct)
                    exact = WinogradTests.exactForward(g, x: x, w: w)
                case .backwardData:
                    Convolution.backwardDataReference(g, dy: dy, w: w, dx: &direct)
                    exact = WinogradTests.exactBackwardData(g, dy: dy, w: w)
                case .backwardWeights:
                    Convolution.backwardWeightsReference(g, x: x, dy: dy, dw: &direct)
                    exact = WinogradTests.exactBackwardWeights(g, x: x, dy: dy)
                }
                let f4 = WinogradTests.relativeError(results[.winograd4x4]!, exact)
                print("F(4x4) \(pass) \(label) against float64: \(f4)")
                print("       F(2x2): \(WinogradTests.relativeError(results[.winograd]!, exact))")
                print("       direct reference: \(WinogradTests.relativeError(direct, exact))")
                XCTAssertLessThanOrEqual(f4.maxRelative, 3e-5, "F(4x4) \(pass) \(label)")
            }
        }
    }

    // MARK: - Transforms, bit for bit

    /// The filter transforms (16 filters per vector) give the reference's `G g Gᵀ`, forward
    /// and flipped, and the filter-gradient transform its `Gᵀ P G` of two cores' partial sums
    /// added, written and added to `dw`; equal
    /// as numbers (a zero may differ in sign: the reference adds its zero-coefficient terms).
    func testFilterTransformsEqualTheReference() {
        for (outChannels, inChannels) in [(3, 37), (33, 5), (16, 16)] {
            let w = randomFloats(outChannels * inChannels * 9, seed: UInt64(outChannels * 100 + inChannels))
            for flipped in [false, true] {
                let (outs, ins) = flipped ? (inChannels, outChannels) : (outChannels, inChannels)
                var u = [Float](repeating: .nan, count: 36 * outs * ins)
                u.withUnsafeMutableBufferPointer {
                    Winograd4x4.transformFilters(w, outChannels: outChannels, inChannels: inChannels, flipped: flipped,
                                                 into: $0.baseAddress!)
                }
                var differing = 0
                for o in 0 ..< outs {
                    for i in 0 ..< ins {
                        let (co, ci) = flipped ? (i, o) : (o, i)
                        let filter = (0 ..< 3).map { r in (0 ..< 3).map { c in
                            let (rr, cc) = flipped ? (2 - r, 2 - c) : (r, c)
                            return w[(co * inChannels + ci) * 9 + rr * 3 + cc]
                        } }
                        let expected = Winograd.filterTransform(filter, .f4x4)
                        for point in 0 ..< 36 where u[point * outs * ins + o * ins + i] != expected[point / 6][point % 6] {
                            differing += 1
                        }
                    }
                }
                print("F(4x4) filter transform \(outChannels)x\(inChannels)\(flipped ? " flipped" : ""): "
                      + "\(differing) of \(u.count) values differ from the reference")
                XCTAssertEqual(differing, 0)
            }
            let pairs = outChannels * inChannels
            let p = randomFloats(2 * 36 * pairs, seed: UInt64(pairs)), start = randomFloats(9 * pairs, seed: 3)
            for accumulate in [false, true] {
                var dw = start
                dw.withUnsafeMutableBufferPointer {
                    Winograd4x4.transformFilterGradients(p, parts: 2, outChannels: outChannels, inChannels: inChannels,
                                                         dw: $0.baseAddress!, accumulate: accumulate)
                }
                var differing = 0
                for pair in 0 ..< pairs {
                    let sums = (0 ..< 6).map { r in (0 ..< 6).map { c in
                        p[(6 * r + c) * pairs + pair] + p[36 * pairs + (6 * r + c) * pairs + pair]
                    } }
                    let expected = Winograd.filterGradientTransform(sums, .f4x4)
                    for k in 0 ..< 9 {
                        let want = accumulate ? start[9 * pair + k] + expected[k / 3][k % 3] : expected[k / 3][k % 3]
                        if dw[9 * pair + k] != want { differing += 1 }
                    }
                }
                print("F(4x4) filter gradient transform \(outChannels)x\(inChannels)\(accumulate ? ", added" : ""): "
                      + "\(differing) of \(dw.count) values differ from the reference")
                XCTAssertEqual(differing, 0)
            }
        }
    }

    /// The tile transforms of a block of images (16, and a partial block of 5) give the
    /// reference's `Bᵀ d B` of every tile, its `A dY Aᵀ`, and its `Aᵀ M A`, equal as numbers, on
    /// 4x4, 8x8 and 4x8 planes; read normalised, the input tiles are those of the normalised
    /// planes.
    func testTileTransformsEqualTheReference() {
        for (height, width) in [(4, 4), (8, 8), (4, 8)] {
            for images in [16, 5] {
                for relu in [nil, false, true] {
                    XCTAssertEqual(compareTileTransforms(height: height, width: width, images: images, relu: relu), 0,
                                   "\(height)x\(width), \(images) images, relu \(String(describing: relu))")
                }
            }
        }
    }

    /// How many transformed values of one block differ from the reference's.
    private func compareTileTransforms(height: Int, width: Int, images: Int, relu: Bool?) -> Int {
        let plane = height * width, tiles = plane / 16, stride = 3 * plane
        let source = randomFloats(images * stride, seed: UInt64(plane + images))
        let scale: [Float] = [0.5, 1.5, -0.75], shift: [Float] = [0.25, -0.5, 0.125]
        let channel = 1, pointStride = 16 * tiles + 3
        var v = [Float](repeating: .nan, count: 36 * pointStride), z = v, m = randomFloats(36 * pointStride, seed: 4)
        var outputs = [Float](repeating: 0, count: images * plane)
        var scratchBuffer = [Float](repeating: 0, count: Winograd4x4.BlockScratch.count(plane: plane))
        scratchBuffer.withUnsafeMutableBufferPointer { sb in
            let scratch = Winograd4x4.BlockScratch(sb.baseAddress!, plane: plane)
            scale.withUnsafeBufferPointer { a in shift.withUnsafeBufferPointer { b in
                let affine = relu.map { ChannelAffine(scale: a.baseAddress!, shift: b.baseAddress!, relu: $0) }
                source.withUnsafeBufferPointer { s in
                    let start = s.baseAddress! + channel * plane
                    Winograd4x4.loadBlock(start, imageStride: stride, images: images, plane: plane, channel: channel,
                                          affine: affine, scratch)
                    v.withUnsafeMutableBufferPointer {
                        Winograd4x4.transformInputTiles(scratch, height: height, width: width, v: $0.baseAddress!,
                                                        firstTile: 0, pairStride: 32, pointStride: pointStride)
                    }
                    Winograd4x4.loadBlock(start, imageStride: stride, images: images, plane: plane, channel: channel,
                                          affine: nil, scratch)
                    z.withUnsafeMutableBufferPointer {
                        Winograd4x4.transformOutputGradientTiles(scratch, height: height, width: width,
                                                                 z: $0.baseAddress!, pointStride: pointStride)
                    }
                }
                Winograd4x4.transformOutputTiles(m, pointStride: pointStride, height: height, width: width, scratch)
                outputs.withUnsafeMutableBufferPointer {
                    Winograd4x4.storeBlock(scratch, $0.baseAddress!, imageStride: plane, images: images, plane: plane)
                }
            } }
        }
        var differing = 0
        for image in 0 ..< images {
            var planeValues = Array(source[(image * stride + channel * plane) ..< (image * stride + channel * plane + plane)])
            let raw = planeValues
            if let relu {
                planeValues = planeValues.map { value in
                    let y = shift[channel].addingProduct(value, scale[channel])
                    return relu ? max(y, 0) : y
                }
            }
            for ty in 0 ..< height / 4 {
                for tx in 0 ..< width / 4 {
                    let tile = ty * (width / 4) + tx, column = 16 * tile + image
                    let d = planeValues.withUnsafeBufferPointer {
                        Winograd.inputTile($0.baseAddress!, height: height, width: width, ty: ty, tx: tx, .f4x4)
                    }
                    let expectedV = Winograd.inputTransform(d, .f4x4)
                    let gradient = (0 ..< 4).map { i in (0 ..< 4).map { j in raw[(4 * ty + i) * width + 4 * tx + j] } }
                    let expectedZ = Winograd.outputGradientTransform(gradient, .f4x4)
                    let sums = (0 ..< 6).map { r in (0 ..< 6).map { s in m[(6 * r + s) * pointStride + column] } }
                    let expectedY = Winograd.outputTransform(sums, .f4x4)
                    for point in 0 ..< 36 {
                        if v[point * pointStride + column] != expectedV[point / 6][point % 6] { differing += 1 }
                        if z[point * pointStride + column] != expectedZ[point / 6][point % 6] { differing += 1 }
                    }
                    for i in 0 ..< 4 {
                        for j in 0 ..< 4 where outputs[image * plane + (4 * ty + i) * width + 4 * tx + j] != expectedY[i][j] {
                            differing += 1
                        }
                    }
                }
            }
        }
        return differing
    }
}
