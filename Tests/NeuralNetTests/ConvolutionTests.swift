import Core
import NeuralNet
import TestSupport
import XCTest

final class ConvolutionTests: XCTestCase {
    private func geometry(_ f: Fixture, x: FixtureTensor, w: FixtureTensor) -> ConvGeometry {
        ConvGeometry(batch: x.shape[0], inChannels: x.shape[1], height: x.shape[2], width: x.shape[3],
                     outChannels: w.shape[0], kernel: w.shape[2],
                     stride: f.meta("stride") as! Int, padding: f.meta("padding") as! Int)
    }

    /// Forward, input gradient and weight gradient of both paths against PyTorch.
    func testAgainstPyTorch() throws {
        for name in ["conv2d_k3_s1", "conv2d_k3_s2", "conv2d_k1_s2"] {
            let f = try Fixture(name)
            let x = try f.tensor("x"), w = try f.tensor("w"), gy = try f.tensor("gy")
            let g = geometry(f, x: x, w: w)
            XCTAssertEqual(g.outputShape, try f.tensor("y").shape)
            for path in ComputePath.allCases {
                ComputePath.with(path) {
                    var y = [Float](repeating: 0, count: g.batch * g.outputImageSize)
                    var gx = [Float](repeating: 0, count: g.batch * g.inputImageSize)
                    var gw = [Float](repeating: 0, count: g.weightCount)
                    Convolution.forward(g, x: x.data, w: w.data, y: &y)
                    Convolution.backwardData(g, dy: gy.data, w: w.data, dx: &gx)
                    Convolution.backwardWeights(g, x: x.data, dy: gy.data, dw: &gw)
                    assertClose(y, try! f.tensor("y").data, "\(name) y [\(path)]")
                    assertClose(gx, try! f.tensor("gx").data, "\(name) gx [\(path)]")
                    assertClose(gw, try! f.tensor("gw").data, "\(name) gw [\(path)]")
                }
            }
        }
    }

    /// Odd shapes covering every kernel and pass of the optimized convolution: 7x13 images,
    /// 5 channels, kernels 1/3/7, strides 1/2, several images per GEMM and batches that do
    /// not split evenly.
    static let oddShapes: [ConvGeometry] = [
        ConvGeometry(batch: 3, inChannels: 5, height: 7, width: 13, outChannels: 6, kernel: 3, stride: 1, padding: 1),
        ConvGeometry(batch: 5, inChannels: 5, height: 7, width: 13, outChannels: 7, kernel: 3, stride: 2, padding: 1),
        ConvGeometry(batch: 2, inChannels: 3, height: 15, width: 11, outChannels: 4, kernel: 7, stride: 2, padding: 3),
        ConvGeometry(batch: 9, inChannels: 8, height: 4, width: 4, outChannels: 33, kernel: 1, stride: 1, padding: 0),
        ConvGeometry(batch: 4, inChannels: 6, height: 9, width: 9, outChannels: 5, kernel: 1, stride: 2, padding: 0),
        ConvGeometry(batch: 40, inChannels: 4, height: 2, width: 3, outChannels: 3, kernel: 3, stride: 1, padding: 1),
        // 1x1 and 2x2 inputs (the last stage of a small network), where some taps never
        // land inside the image.
        ConvGeometry(batch: 6, inChannels: 3, height: 1, width: 1, outChannels: 5, kernel: 3, stride: 2, padding: 1),
        ConvGeometry(batch: 6, inChannels: 3, height: 2, width: 2, outChannels: 5, kernel: 3, stride: 2, padding: 1),
        ConvGeometry(batch: 3, inChannels: 2, height: 1, width: 1, outChannels: 4, kernel: 3, stride: 1, padding: 1),
        // Shapes the direct 3x3 kernel takes (width 16 or a multiple of 32), including
        // channel counts where only some of its three passes apply.
        ConvGeometry(batch: 2, inChannels: 8, height: 6, width: 32, outChannels: 16, kernel: 3, stride: 1, padding: 1),
        ConvGeometry(batch: 3, inChannels: 16, height: 4, width: 16, outChannels: 8, kernel: 3, stride: 1, padding: 1),
        ConvGeometry(batch: 1, inChannels: 3, height: 3, width: 64, outChannels: 8, kernel: 3, stride: 1, padding: 1),
        ConvGeometry(batch: 2, inChannels: 8, height: 3, width: 32, outChannels: 6, kernel: 3, stride: 1, padding: 1),
        // Small images folded side by side: 8x8 (7 per composite, last group partial),
        // 4x4 (13 per composite), and an odd 13-wide image.
        ConvGeometry(batch: 9, inChannels: 16, height: 8, width: 8, outChannels: 16, kernel: 3, stride: 1, padding: 1),
        ConvGeometry(batch: 14, inChannels: 8, height: 4, width: 4, outChannels: 24, kernel: 3, stride: 1, padding: 1),
        // Channels in the vector lanes (small images; forward and the weight gradient when
        // the output channels are a multiple of 32, backward-data when the input channels
        // are): odd sizes with a short last pixel tile, and a batch that spans several
        // blocks per thread.
        ConvGeometry(batch: 7, inChannels: 5, height: 5, width: 3, outChannels: 32, kernel: 3, stride: 1, padding: 1),
        ConvGeometry(batch: 3, inChannels: 32, height: 3, width: 5, outChannels: 8, kernel: 3, stride: 1, padding: 1),
        // Stride 2 in the lanes (forward and weight gradient): odd sizes and the shape of a
        // ResNet stage's first convolution.
        ConvGeometry(batch: 5, inChannels: 5, height: 7, width: 9, outChannels: 32, kernel: 3, stride: 2, padding: 1),
        ConvGeometry(batch: 3, inChannels: 16, height: 32, width: 32, outChannels: 32, kernel: 3, stride: 2, padding: 1),
        // A 16-wide image: pixel lanes forward and backward-data, channel lanes for the weights.
        ConvGeometry(batch: 4, inChannels: 8, height: 6, width: 16, outChannels: 32, kernel: 3, stride: 1, padding: 1),
        ConvGeometry(batch: 40, inChannels: 64, height: 8, width: 8, outChannels: 64, kernel: 3, stride: 1, padding: 1),
        ConvGeometry(batch: 5, inChannels: 8, height: 7, width: 13, outChannels: 8, kernel: 3, stride: 1, padding: 1),
    ]

    func testOptimizedMatchesReference() {
        for (i, g) in Self.oddShapes.enumerated() { compareWithReference(g, seed: i, "conv case \(i)") }
    }

    /// Each kernel forced wherever it applies (as `Benchmark conv --kernel NAME` does) gives
    /// the reference's numbers on every odd shape it supports, in every pass.
    func testEveryKernelForcedMatchesReference() {
        defer { ConvKernel.forced = nil }
        for kernel in ConvKernel.allCases {
            ConvKernel.forced = kernel
            for pass in ConvKernel.Pass.allCases {
                let shapes = Self.oddShapes.indices.filter { ConvKernel.supports(kernel, Self.oddShapes[$0], pass) }
                XCTAssertFalse(shapes.isEmpty, "no odd shape exercises \(kernel) \(pass)")
                for i in shapes { XCTAssertEqual(ConvKernel.choose(Self.oddShapes[i], pass), kernel) }
            }
            for (i, g) in Self.oddShapes.enumerated() { compareWithReference(g, seed: i, "\(kernel) forced, case \(i)") }
        }
    }

    /// The wide and the narrow register tiles (`RegisterTile`) run the same kernels and add the
    /// same products in the same order: every kernel, forced on every odd shape it supports,
    /// gives the reference's numbers under either tile, and the two agree bit for bit.
    func testBothRegisterTilesMatchTheReferenceAndEachOther() {
        defer { ConvKernel.forced = nil; RegisterTile.current = RegisterTile.compiled }
        var identicalCases = 0
        for kernel in [nil] + ConvKernel.allCases {
            ConvKernel.forced = kernel
            for (i, g) in Self.oddShapes.enumerated() {
                var results: [RegisterTile: [[Float]]] = [:], kernels: [RegisterTile: [ConvKernel]] = [:]
                for tile in RegisterTile.allCases {
                    RegisterTile.current = tile
                    compareWithReference(g, seed: i, "\(kernel.map(\.rawValue) ?? "choose"), \(tile) tile, case \(i)")
                    results[tile] = optimizedPasses(g, seed: i)
                    kernels[tile] = ConvKernel.Pass.allCases.map { ConvKernel.choose(g, $0) }
                }
                XCTAssertEqual(kernels[.wide], kernels[.narrow], "\(kernel.map(\.rawValue) ?? "choose") case \(i): the tiles take different kernels")
                identicalCases += results[.wide] == results[.narrow] ? 1 : 0
                XCTAssertTrue(results[.wide] == results[.narrow], "\(kernel.map(\.rawValue) ?? "choose") case \(i): wide and narrow tiles differ")
            }
        }
        XCTAssertEqual(identicalCases, (ConvKernel.allCases.count + 1) * Self.oddShapes.count)
        print("OK     \(identicalCases) cases (the library's choice and each kernel forced, on \(Self.oddShapes.count) odd shapes): "
              + "the wide and narrow tiles give the same three passes bit for bit")
    }

    /// The three optimized passes' outputs on the inputs `compareWithReference` uses.
    private func optimizedPasses(_ g: ConvGeometry, seed i: Int) -> [[Float]] {
        let x = randomFloats(g.batch * g.inputImageSize, seed: UInt64(10 + i))
        let w = randomFloats(g.weightCount, seed: UInt64(20 + i))
        let dy = randomFloats(g.batch * g.outputImageSize, seed: UInt64(30 + i))
        var y = [Float](repeating: 0, count: dy.count), dx = [Float](repeating: 9, count: x.count)
        var dw = randomFloats(w.count, seed: 99)
        Convolution.forwardOptimized(g, x: x, w: w, y: &y)
        Convolution.backwardDataOptimized(g, dy: dy, w: w, dx: &dx)
        Convolution.backwardWeightsOptimized(g, x: x, dy: dy, dw: &dw, accumulate: true)
        return [y, dx, dw]
    }

    /// The README's table of which ResNet-18 layer takes which kernel (Sources/NeuralNet/Kernels)
    /// is the library's choice: every row's shape is rebuilt from its `shape` cell for widths 16
    /// and 64 and each cell's three kernels compared with `ConvKernel.choose` (the step's batch
    /// of 128 views), under the wide and the narrow register tiles alike.
    func testTheKernelTableInTheREADMEIsTheLibrarysChoice() throws {
        let readme = Fixture.folder.deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Sources/NeuralNet/Kernels/README.md")
        let text = try String(contentsOf: readme, encoding: .utf8)
        // "| layer2.0.conv1 | w→2w 3x3/2 32² | channel-lanes / im2col / channel-lanes | … |"
        let shape = #/^\| ([^|]+) \| (\d*)(w?)→(\d*)w (\d)x\d/(\d) (\d+)² \| ([^|]+) \| ([^|]+) \|$/#
        defer { RegisterTile.current = RegisterTile.compiled }
        var rows = 0
        for tile in RegisterTile.allCases {
            RegisterTile.current = tile
            for line in text.split(separator: "\n") {
                guard let m = try shape.wholeMatch(in: String(line)) else { continue }
                rows += 1
                for (width, cell) in [(16, m.output.8), (64, m.output.9)] {
                    // "3→w" is three channels; "2w" is twice the width.
                    let inChannels = m.output.3.isEmpty ? Int(m.output.2)! : (Int(m.output.2) ?? 1) * width
                    let outChannels = (Int(m.output.4) ?? 1) * width
                    let kernel = Int(m.output.5)!, stride = Int(m.output.6)!, side = Int(m.output.7)!
                    let g = ConvGeometry(batch: 128, inChannels: inChannels, height: side, width: side,
                                         outChannels: outChannels, kernel: kernel, stride: stride, padding: kernel == 3 ? 1 : 0)
                    let chosen = ConvKernel.Pass.allCases.map { ConvKernel.choose(g, $0).rawValue }.joined(separator: " / ")
                    XCTAssertEqual(chosen, cell.trimmingCharacters(in: .whitespaces), "\(m.output.1) at width \(width), \(tile) tiles")
                }
            }
        }
        XCTAssertEqual(rows, 2 * 11, "the README's table should list the 11 convolution shapes of ResNet-18")
    }

    private func compareWithReference(_ g: ConvGeometry, seed i: Int, _ label: String) {
        let x = randomFloats(g.batch * g.inputImageSize, seed: UInt64(10 + i))
        let w = randomFloats(g.weightCount, seed: UInt64(20 + i))
        let dy = randomFloats(g.batch * g.outputImageSize, seed: UInt64(30 + i))
        var y0 = [Float](repeating: 0, count: dy.count), y1 = y0
        Convolution.forwardReference(g, x: x, w: w, y: &y0)
        Convolution.forwardOptimized(g, x: x, w: w, y: &y1)
        assertClose(y1, y0, atol: 1e-5 * Double(g.patchSize), "\(label) forward")
        var dx0 = [Float](repeating: 9, count: x.count), dx1 = dx0
        Convolution.backwardDataReference(g, dy: dy, w: w, dx: &dx0)
        Convolution.backwardDataOptimized(g, dy: dy, w: w, dx: &dx1)
        // As the forward's: each dx value sums kernel² · outChannels products (F(4x4) Winograd's
        // rounding, the largest, reached 2.4e-4 on the 64-channel 8x8 case, against 5.8e-3 here).
        assertClose(dx1, dx0, atol: 1e-5 * Double(g.kernel * g.kernel * g.outChannels), "\(label) dx")
        var dw0 = randomFloats(w.count, seed: 99), dw1 = dw0
        Convolution.backwardWeightsReference(g, x: x, dy: dy, dw: &dw0, accumulate: true)
        Convolution.backwardWeightsOptimized(g, x: x, dy: dy, dw: &dw1, accumulate: true)
        assertClose(dw1, dw0, atol: 1e-5 * Double(g.batch * g.outPixels), "\(label) dw (accumulate)")
    }

    /// The reference backward against central finite differences of L = Σ y·gy.
    func testBackwardMatchesFiniteDifferences() {
        let g = ConvGeometry(batch: 2, inChannels: 3, height: 6, width: 5, outChannels: 4, kernel: 3, stride: 2, padding: 1)
        let x = randomFloats(g.batch * g.inputImageSize, seed: 1), w = randomFloats(g.weightCount, seed: 2)
        let gy = randomFloats(g.batch * g.outputImageSize, seed: 3)
        func loss(_ x: [Float], _ w: [Float]) -> Double {
            var y = [Float](repeating: 0, count: gy.count)
            Convolution.forwardReference(g, x: x, w: w, y: &y)
            return dot(y, gy)
        }
        var dx = [Float](repeating: 0, count: x.count), dw = [Float](repeating: 0, count: w.count)
        Convolution.backwardDataReference(g, dy: gy, w: w, dx: &dx)
        Convolution.backwardWeightsReference(g, x: x, dy: gy, dw: &dw)
        assertClose(dx, numericalGradient(of: { loss($0, w) }, at: x), rtol: 1e-2, atol: 1e-3, "conv dx vs finite differences")
        assertClose(dw, numericalGradient(of: { loss(x, $0) }, at: w), rtol: 1e-2, atol: 1e-3, "conv dw vs finite differences")
    }

    /// The checker can fail: a weight gradient computed with the kernel flipped (a classic
    /// mistake: correlation vs convolution) must be caught.
    func testCheckerCatchesBrokenKernel() {
        let g = ConvGeometry(batch: 1, inChannels: 2, height: 5, width: 5, outChannels: 2, kernel: 3, stride: 1, padding: 1)
        let x = randomFloats(g.inputImageSize, seed: 4), w = randomFloats(g.weightCount, seed: 5)
        let gy = randomFloats(g.outputImageSize, seed: 6)
        var dw = [Float](repeating: 0, count: w.count)
        Convolution.backwardWeightsReference(g, x: x, dy: gy, dw: &dw)
        let flipped = (0 ..< w.count).map { i -> Float in
            let base = i / 9 * 9, tap = i % 9
            return dw[base + 8 - tap]
        }
        let numeric = numericalGradient(of: { w in
            var y = [Float](repeating: 0, count: gy.count)
            Convolution.forwardReference(g, x: x, w: w, y: &y)
            return dot(y, gy)
        }, at: w)
        XCTAssertFalse(compare(flipped, numeric, rtol: 1e-2, atol: 1e-3, "broken conv dw (must be NOT OK)").ok)
        XCTAssertTrue(compare(dw, numeric, rtol: 1e-2, atol: 1e-3, "correct conv dw").ok)
    }
}
