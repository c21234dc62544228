extension Kernels {
    /// `PlanarImage.gaussianBlurred` done separably (the 2-D kernel is the outer product
    /// of the 1-D one, so a row pass then a column pass sums the same products), with
    /// `Normalize` fused into the column pass. In place on a 3 x size x size image.
    ///
    /// - Parameters:
    ///   - kernel: odd-length 1-D kernel (`GaussianBlur.kernel`).
    ///   - normalization: applied to the result when not `nil`.
    ///   - temp: size x size + size + kernel.count floats of scratch.
    static func blur(_ rgb: UnsafeMutablePointer<Float>, size: Int, kernel: [Float],
                     normalization: Normalization?, temp: UnsafeMutablePointer<Float>) {
        let k = kernel.count, pad = k / 2
        let plane = size * size
        let rowPass = temp, padded = temp + plane
        // Source index of padded position j (offset -pad), reflected; computed once.
        let reflected = (0 ..< size + 2 * pad).map { reflectIndex($0 - pad, size) }
        let means = normalization?.mean ?? [0, 0, 0], stds = normalization?.std ?? [1, 1, 1]
        let normalizing = normalization != nil
        kernel.withUnsafeBufferPointer { kb in
            let kp = kb.baseAddress!
            for c in 0 ..< 3 {
                let image = rgb + c * plane
                // Rows: copy each into a reflect-padded line, then slide the kernel along it.
                for y in 0 ..< size {
                    let line = image + y * size
                    for j in 0 ..< pad {
                        padded[j] = line[reflected[j]]
                        padded[pad + size + j] = line[reflected[pad + size + j]]
                    }
                    (padded + pad).update(from: line, count: size)
                    let o = rowPass + y * size
                    var x = 0
                    while x < size {
                        let n = min(16, size - x)
                        var acc = Vector()
                        for j in 0 ..< k { acc += kp[j] * padded.simd16(x + j, count: n) }
                        o.store(acc, at: x, count: n)
                        x += 16
                    }
                }
                // Columns, reading reflected rows, then normalize on the way out.
                let mean = means[c], std = stds[c]
                for y in 0 ..< size {
                    let o = image + y * size
                    var x = 0
                    while x < size {
                        let n = min(16, size - x)
                        var acc = Vector()
                        for i in 0 ..< k { acc += kp[i] * rowPass.simd16(reflected[y + i] * size + x, count: n) }
                        if normalizing { acc = (acc - mean) / std }
                        o.store(acc, at: x, count: n)
                        x += 16
                    }
                }
            }
        }
    }
}
