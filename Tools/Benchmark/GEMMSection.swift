import SimCLR

/// Section `gemm`: GFLOP/s of the optimized GEMM on square products and on the im2col
/// products of ResNet-18's convolutions, beside numpy/OpenBLAS on the same shapes.
struct GEMMSection {
    let options: BenchmarkOptions
    let squareSizes = [512, 1024, 2048]
    let convWidths = [16, 64]
    let convBatch = 256

    func run() {
        let repeats = options.repeats(default: 3)
        let threads = options.allThreads
        printSection("gemm — C[M×N] = A[M×K]·B[K×N], float32, row-major",
                     "GFLOP/s = 2·M·N·K / seconds; ours = gemmOptimized (\(threads == 1 ? "1 thread" : "1 and \(threads) threads")), "
                        + "numpy = OpenBLAS on the same shape in this run; ratio = ours / numpy")
        let convShapes = convWidths.flatMap { width in
            ResNet18Shapes.convolutions(width: width).filter { $0.kernel == 3 }.map { (width, $0) }
        }
        let squares = squareSizes.map { NumpyGEMM.Shape(m: $0, n: $0, k: $0) }
        let convProducts = convShapes.map { gemmShape($0.1, threads: threads) }
        let threadCounts = threads == 1 ? [1] : [1, threads]

        var distinct: [NumpyGEMM.Shape] = []
        for shape in squares + convProducts where !distinct.contains(shape) { distinct.append(shape) }
        var ours: [NumpyGEMM.Shape: [Int: Double]] = [:]
        for shape in distinct {
            for t in threadCounts { ours[shape, default: [:]][t] = measureOurs(shape, threads: t, repeats: repeats) }
        }
        let numpy = NumpyGEMM(shapes: distinct, threadCounts: threadCounts, repeats: repeats, options: options)

        var table = TextTable([("M×N×K", .left)] + rateColumns(threadCounts))
        for shape in squares {
            table.add(["\(shape.m)³"] + rateCells(shape, ours: ours, numpy: numpy, threadCounts: threadCounts))
        }
        print(table.render())
        printReference(size: 512, optimized: ours[squares[0]] ?? [:])

        print("")
        print("  im2col products of ResNet-18's 3x3 convolutions at batch \(convBatch), as Convolution.forwardOptimized issues them:")
        print("  M = out channels, K = 9·in channels, N = g images × output pixels per GEMM (g chosen for ≥ 512 columns;")
        print("  the batch is split over \(Format.count(threads, "core")), each running its GEMMs on one thread, so the 1-thread columns")
        print("  are the ones the convolution sees). 'direct'/'folded'/'channel lanes': the forward uses a direct 3x3 kernel, not this GEMM.")
        print("  Rows with the same M×N×K (e.g. w16 layer4 and w64 layer2) are one measurement.")
        var convTable = TextTable([("layer", .left), ("M×N×K", .left), ("g", .right), ("GEMMs", .right),
                                   ("forward", .left)] + rateColumns(threadCounts))
        var lastWidth = 0
        for (width, layer) in convShapes {
            if width != lastWidth {
                if lastWidth != 0 { convTable.addSeparator() }
                lastWidth = width
            }
            let g = layer.geometry(batch: convBatch)
            let shape = gemmShape(layer, threads: threads)
            let group = ConvKernel.imagesPerGEMM(g, threads: threads)
            let perCore = (convBatch + threads - 1) / threads
            convTable.add(["w\(width) \(layer.name)", "\(shape.m)×\(shape.n)×\(shape.k)", "\(group)",
                           "\(threads * ((perCore + group - 1) / group))", ConvKernel.choose(g, .forward).rawValue]
                          + rateCells(shape, ours: ours, numpy: numpy, threadCounts: threadCounts))
        }
        print(convTable.render())
        for note in numpy.notes { print("  \(note)") }
    }

    /// The forward im2col GEMM of `layer` at the benchmark's batch.
    private func gemmShape(_ layer: ConvLayerShape, threads: Int) -> NumpyGEMM.Shape {
        let g = layer.geometry(batch: convBatch)
        let group = ConvKernel.imagesPerGEMM(g, threads: threads)
        return NumpyGEMM.Shape(m: g.outChannels, n: group * g.outPixels, k: g.patchSize)
    }

    private func measureOurs(_ shape: NumpyGEMM.Shape, threads: Int, repeats: Int) -> Double {
        var generator = SeededGenerator(seed: 1)
        let a = FloatBuffer(count: shape.m * shape.k, generator: &generator)
        let b = FloatBuffer(count: shape.k * shape.n, generator: &generator)
        let c = FloatBuffer(count: shape.m * shape.n, generator: &generator)
        let timing = withThreads(threads) {
            Timing.measure(repeats: repeats, minimumSeconds: 0.1) {
                gemmOptimized(.none, .none, m: shape.m, n: shape.n, k: shape.k, a: a.readOnly, lda: shape.k,
                              b: b.readOnly, ldb: shape.n, c: c.pointer, ldc: shape.n)
            }
        }
        return 2 * Double(shape.m * shape.n * shape.k) / timing.median / 1e9
    }

    /// The explicit loops are slow: one product, timed once.
    private func printReference(size: Int, optimized: [Int: Double]) {
        var generator = SeededGenerator(seed: 2)
        let count = size * size
        let a = FloatBuffer(count: count, generator: &generator), b = FloatBuffer(count: count, generator: &generator)
        let c = FloatBuffer(count: count, generator: &generator)
        let start = monotonicSeconds()
        gemmReference(.none, .none, m: size, n: size, k: size, a: a.readOnly, lda: size, b: b.readOnly, ldb: size,
                      c: c.pointer, ldc: size)
        let seconds = monotonicSeconds() - start
        let rate = 2 * Double(count * size) / seconds / 1e9
        let speedups = optimized.keys.sorted().map { "\(Format.ratio(optimized[$0], rate)) on \($0) thread\($0 == 1 ? "" : "s")" }
        print("  reference loops (gemmReference) at \(size)³: \(Format.rate(rate)) GFLOP/s "
              + "(one product, \(Format.milliseconds(seconds)) ms); optimized is " + speedups.joined(separator: ", "))
    }

    private func rateColumns(_ threadCounts: [Int]) -> [(String, TextTable.Alignment)] {
        threadCounts.flatMap { t in
            [("ours \(t)T", TextTable.Alignment.right), ("numpy \(t)T", .right), ("ratio", .right)]
        }
    }

    private func rateCells(_ shape: NumpyGEMM.Shape, ours: [NumpyGEMM.Shape: [Int: Double]], numpy: NumpyGEMM,
                           threadCounts: [Int]) -> [String] {
        threadCounts.flatMap { t -> [String] in
            let mine = ours[shape]?[t], theirs = numpy.gflops(shape, threads: t)
            return [mine.map(Format.rate) ?? "—", theirs.map(Format.rate) ?? "—", Format.ratio(mine, theirs)]
        }
    }
}
