import Core

/// Per-channel mean and standard deviation of pixel values scaled to [0, 1].
public struct ChannelStatistics: Sendable, Equatable {
    /// Mean of R, G, B.
    public var mean: [Double]
    /// Population standard deviation of R, G, B (numpy's `std`, as the well-known
    /// CIFAR-10 constants 0.2470, 0.2435, 0.2616 are computed).
    public var std: [Double]
}

extension InMemoryDataset {
    /// Mean and standard deviation of each channel over every pixel of every image,
    /// in [0, 1] units.
    ///
    /// Sums are exact (integers), so the result does not depend on how the work is
    /// split over threads.
    public func channelStatistics() -> ChannelStatistics {
        let pixelCount = count * height * width
        guard pixelCount > 0 else { return ChannelStatistics(mean: [0, 0, 0], std: [0, 0, 0]) }
        let chunks = max(1, min(Parallel.threadCount, count))
        // Per chunk: sum of R, G, B, then sum of squares of R, G, B.
        var partial = [UInt64](repeating: 0, count: chunks * 6)
        partial.withUnsafeMutableBufferPointer { out in
            pixels.withUnsafeBufferPointer { all in
                Parallel.forEach(chunks) { c in
                    let images = Parallel.chunkRange(c, of: chunks, count: count)
                    let start = images.lowerBound * imageByteCount, end = images.upperBound * imageByteCount
                    out.baseAddress!.advanced(by: c * 6).update(
                        from: Self.sums(all.baseAddress! + start, byteCount: end - start), count: 6)
                }
            }
        }
        var mean = [Double](), std = [Double]()
        for ch in 0 ..< 3 {
            var s: UInt64 = 0, s2: UInt64 = 0
            for c in 0 ..< chunks { s += partial[c * 6 + ch]; s2 += partial[c * 6 + 3 + ch] }
            let n = Double(pixelCount)
            let m = Double(s) / n
            let variance = max(0, Double(s2) / n - m * m)
            mean.append(m / 255)
            std.append(variance.squareRoot() / 255)
        }
        return ChannelStatistics(mean: mean, std: std)
    }

    /// Sums and sums of squares of interleaved RGB bytes. Inner sums stay in UInt32 for
    /// blocks of 8,192 pixels (8,192 x 255² < 2³²), then move to UInt64.
    private static func sums(_ p: UnsafePointer<UInt8>, byteCount: Int) -> [UInt64] {
        var total = [UInt64](repeating: 0, count: 6)
        let pixels = byteCount / 3
        var start = 0
        while start < pixels {
            let end = min(pixels, start + 8_192)
            var r: UInt32 = 0, g: UInt32 = 0, b: UInt32 = 0, r2: UInt32 = 0, g2: UInt32 = 0, b2: UInt32 = 0
            for i in start ..< end {
                let vr = UInt32(p[3 * i]), vg = UInt32(p[3 * i + 1]), vb = UInt32(p[3 * i + 2])
                r &+= vr; g &+= vg; b &+= vb
                r2 &+= vr * vr; g2 &+= vg * vg; b2 &+= vb * vb
            }
            total[0] += UInt64(r); total[1] += UInt64(g); total[2] += UInt64(b)
            total[3] += UInt64(r2); total[4] += UInt64(g2); total[5] += UInt64(b2)
            start = end
        }
        return total
    }
}
