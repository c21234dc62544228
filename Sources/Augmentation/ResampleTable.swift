/// All output samples' taps along one axis, flattened to a fixed number of taps per
/// output so that the optimized resize runs branch-free inner loops.
///
/// Output `o` reads source indices `starts[o] ..< starts[o] + taps` with weights
/// `weights[o * taps ..< (o + 1) * taps]` (zeros where the true footprint is shorter).
struct ResampleTable {
    let taps: Int
    var starts: [Int]
    var weights: [Float]

    init(inputSize: Int, outputSize: Int, antialias: Bool) {
        let all = (0 ..< outputSize).map {
            ResampleTaps(index: $0, inputSize: inputSize, outputSize: outputSize, antialias: antialias)
        }
        let taps = min(all.map(\.weights.count).max() ?? 1, inputSize)
        var starts = [Int](repeating: 0, count: outputSize)
        var weights = [Float](repeating: 0, count: outputSize * taps)
        for (o, t) in all.enumerated() {
            // Shift windows that would run past the end left; the extra taps get weight 0.
            let start = min(t.start, inputSize - taps)
            let offset = t.start - start
            starts[o] = start
            for (k, w) in t.weights.enumerated() { weights[o * taps + offset + k] = w }
        }
        self.taps = taps
        self.starts = starts
        self.weights = weights
    }
}
