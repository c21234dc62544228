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
        var starts = [Int](repeating: 0, count: outputSize)
        var counts = [Int](repeating: 0, count: outputSize)
        var taps = 1
        for o in 0 ..< outputSize {
            let w = Resample.window(index: o, inputSize: inputSize, outputSize: outputSize, antialias: antialias)
            starts[o] = w.start
            counts[o] = w.count
            taps = max(taps, w.count)
        }
        taps = min(taps, inputSize)
        var weights = [Float](repeating: 0, count: outputSize * taps)
        weights.withUnsafeMutableBufferPointer { out in
            for o in 0 ..< outputSize {
                // Shift windows that would run past the end left; the extra taps keep weight 0.
                let start = min(starts[o], inputSize - taps)
                Resample.weights(index: o, inputSize: inputSize, outputSize: outputSize, antialias: antialias,
                                 window: (starts[o], counts[o]), into: out.baseAddress! + o * taps + starts[o] - start)
                starts[o] = start
            }
        }
        self.taps = taps
        self.starts = starts
        self.weights = weights
    }
}
