import SimCLR

/// A pipeline's normalisation constants, read back from what it does to a black and a white pixel.
enum NormalizationReadBack {
    /// The mean and std per channel that `pipeline`'s normalisation applies, as "(r, g, b)" text with
    /// `digits` decimals ("none" when it does not normalise).
    ///
    /// Black (x = 0) becomes -mean/std and white (x = 1) becomes (1 - mean)/std, so
    /// std = 1 / (white - black) and mean = -black · std.
    static func measure(_ pipeline: AugmentationPipeline, digits: Int) -> (mean: String, std: String) {
        guard let n = pipeline.normalization else { return ("none", "none") }
        let black = PlanarImage(channels: 3, height: 1, width: 1, data: [0, 0, 0]).normalized(with: n).data
        let white = PlanarImage(channels: 3, height: 1, width: 1, data: [1, 1, 1]).normalized(with: n).data
        let std = (0 ..< 3).map { 1 / (white[$0] - black[$0]) }
        let mean = (0 ..< 3).map { -black[$0] * std[$0] }
        func triple(_ v: [Float]) -> String { "(" + v.map { String(format: "%.\(digits)f", $0) }.joined(separator: ", ") + ")" }
        return (triple(mean), triple(std))
    }
}
