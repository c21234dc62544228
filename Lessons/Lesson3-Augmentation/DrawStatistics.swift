import SimCLR

/// The smallest and largest of the values seen so far.
struct Extremes<Value: Comparable> {
    private(set) var low: Value?
    private(set) var high: Value?

    mutating func add(_ v: Value) {
        low = low.map { min($0, v) } ?? v
        high = high.map { max($0, v) } ?? v
    }
}

/// How often each random stage of a pipeline fired over many seeded draws, and the
/// ranges its jitter factors and blur sigma were drawn from: the documents'
/// probabilities checked against what the code does, not against the constants in it.
struct StageFrequencies {
    let draws: Int
    private(set) var flips = 0
    private(set) var jitters = 0
    private(set) var greys = 0
    private(set) var blurs = 0
    private(set) var brightness = Extremes<Float>()
    private(set) var contrast = Extremes<Float>()
    private(set) var saturation = Extremes<Float>()
    private(set) var hue = Extremes<Float>()
    private(set) var sigma = Extremes<Float>()
    /// The distinct orders the four jitter adjustments were applied in.
    private(set) var orders = Set<[JitterOperation]>()

    /// - Parameters:
    ///   - pipeline: whose `draw` is called `draws` times.
    ///   - height: source image rows.
    ///   - width: source image columns.
    init(_ pipeline: AugmentationPipeline, height: Int, width: Int, draws: Int, using generator: inout SeededGenerator) {
        self.draws = draws
        for _ in 0 ..< draws {
            let p = pipeline.draw(height: height, width: width, using: &generator)
            if p.flipped { flips += 1 }
            if p.grayscale { greys += 1 }
            if let s = p.blurSigma {
                blurs += 1
                sigma.add(s)
            }
            if let j = p.jitter {
                jitters += 1
                orders.insert(j.order)
                if let b = j.brightness { brightness.add(b) }
                if let c = j.contrast { contrast.add(c) }
                if let s = j.saturation { saturation.add(s) }
                if let h = j.hue { hue.add(h) }
            }
        }
    }

    /// `count` as a percentage of the draws.
    func percent(_ count: Int) -> Double { 100 * Double(count) / Double(draws) }
}

/// What RandomResizedCrop drew over many seeded draws: the area fraction and aspect
/// ratio of the accepted attempts (before rounding to whole pixels, as torchvision
/// draws them), the realised boxes, and how often it fell back to the centre crop.
struct CropStatistics {
    let draws: Int
    private(set) var fallbacks = 0
    /// Target area / image area of the accepted attempts.
    private(set) var areaFraction = Extremes<Double>()
    /// Width / height of the accepted attempts.
    private(set) var aspect = Extremes<Double>()
    /// Box area / image area after rounding the sides to pixels.
    private(set) var realisedArea = Extremes<Double>()
    /// Accepted attempts whose area fraction lay inside `documentScale` and aspect inside
    /// `documentRatio` (the ranges the write-up and torchvision state, not the crop's own settings).
    private(set) var inRange = 0

    init(_ crop: RandomResizedCrop, height: Int, width: Int, draws: Int,
         documentScale: ClosedRange<Double> = 0.08 ... 1, documentRatio: ClosedRange<Double> = 0.75 ... 4.0 / 3.0, using generator: inout SeededGenerator) {
        self.draws = draws
        let area = Double(height * width)
        for _ in 0 ..< draws {
            let d = crop.draw(height: height, width: width, using: &generator)
            realisedArea.add(Double(d.box.height * d.box.width) / area)
            guard let target = d.targetArea, let ratio = d.aspectRatio else {
                fallbacks += 1
                continue
            }
            areaFraction.add(target / area)
            aspect.add(ratio)
            if documentScale.contains(target / area) && documentRatio.contains(ratio) { inRange += 1 }
        }
    }

    /// Accepted (non-fallback) draws.
    var accepted: Int { draws - fallbacks }
}
