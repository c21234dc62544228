/// The horizontal resize as 16-column blocks, so that it runs in SIMD registers:
/// output columns `16b ..< 16b + 16` are `sum over j of in[bandStart[b] + j] *
/// weights[offset[b] + 16 j + lane]`, j running over the band of source columns any of
/// the block's 16 outputs reads. One broadcast source value times one weight vector
/// per step, instead of a gather per output and tap.
///
/// The weights are `Resample`'s, the same numbers `ResampleTaps` gives the reference;
/// a mirrored view just puts each output in the mirrored lane.
struct BandedResampleTable {
    let outputSize: Int
    var bandStart: [Int]
    var bandLength: [Int]
    var offset: [Int]
    var weights: [Float]

    init(inputSize: Int, outputSize: Int, antialias: Bool, flip: Bool) {
        let blocks = (outputSize + 15) / 16
        var windows = [(start: Int, count: Int)](repeating: (0, 0), count: outputSize)
        var first = [Int](repeating: .max, count: blocks), end = [Int](repeating: 0, count: blocks)
        for x in 0 ..< outputSize {
            let w = Resample.window(index: x, inputSize: inputSize, outputSize: outputSize, antialias: antialias)
            windows[x] = w
            let b = (flip ? outputSize - 1 - x : x) / 16
            first[b] = min(first[b], w.start)
            end[b] = max(end[b], w.start + w.count)
        }
        var offset = [Int](repeating: 0, count: blocks), length = [Int](repeating: 0, count: blocks)
        var total = 0
        for b in 0 ..< blocks {
            length[b] = max(0, end[b] - first[b])
            offset[b] = total
            total += 16 * length[b]
        }
        var weights = [Float](repeating: 0, count: total)
        withUnsafeTemporaryAllocation(of: Float.self, capacity: inputSize) { taps in
            for x in 0 ..< outputSize {
                let w = windows[x]
                Resample.weights(index: x, inputSize: inputSize, outputSize: outputSize, antialias: antialias,
                                 window: w, into: taps.baseAddress!)
                let p = flip ? outputSize - 1 - x : x
                let b = p / 16, lane = p % 16
                for k in 0 ..< w.count { weights[offset[b] + 16 * (w.start + k - first[b]) + lane] = taps[k] }
            }
        }
        self.outputSize = outputSize
        self.bandStart = first
        self.bandLength = length
        self.offset = offset
        self.weights = weights
    }
}
