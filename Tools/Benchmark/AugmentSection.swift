import SimCLR

/// Section `augment`: how many CIFAR-10 images per second the classroom augmentation
/// turns into two normalized 32x32 views, optimized vs reference.
struct AugmentSection {
    let options: BenchmarkOptions
    let sourceImages = 2048
    let batchSize = 256

    func run() throws {
        let repeats = options.repeats(default: 3)
        let referenceRepeats = options.repeats(default: 3)
        let threads = options.allThreads
        printSection("augment — AugmentationPipeline.classroom (crop, flip, jitter, grey, blur, normalize), two views per image",
                     "batches of \(batchSize) images from CIFAR-10 train, each run ≥ 1 s after a warm-up batch, "
                        + "drawing the parameters included; \(Format.count(threads, "thread"));",
                     "optimized median of \(repeats) runs, reference \(referenceRepeats); × = optimized / reference")
        let source: CIFAR10Source
        do {
            source = try DataLocator.locateCIFAR10(explicit: nil, projectRoot: DataLocator.projectRoot())
        } catch {
            print("  not measured: \(error)")
            return
        }
        let train = try source.load(.train)
        let images = (0 ..< min(sourceImages, train.count)).map { train.rgbImage(at: $0) }
        print("  data: \(source.description); the first \(images.count) training images, reused cyclically")
        let pipeline = AugmentationPipeline.classroom
        func rate(_ path: ComputePath, _ runs: Int) -> Timing {
            // Seconds per image, so that the median of the runs is a median of rates.
            Timing(samples: (0 ..< runs).map { run in
                let t = pipeline.measureThroughput(images: images, batchSize: batchSize, minimumSeconds: 1, path: path,
                                                   seed: UInt64(run))
                return t.seconds / Double(t.images)
            })
        }
        let optimized = rate(.optimized, repeats)
        let reference = rate(.reference, referenceRepeats)
        var table = TextTable([("path", .left), ("images/s", .right), ("views/s", .right), ("±", .right), ("×", .right)])
        table.add(["optimized", Format.rate(1 / optimized.median), Format.rate(2 / optimized.median),
                   Format.spread(optimized), Format.ratio(reference.median, optimized.median)])
        table.add(["reference", Format.rate(1 / reference.median), Format.rate(2 / reference.median),
                   Format.spread(reference), "1x"])
        print(table.render())
    }
}
