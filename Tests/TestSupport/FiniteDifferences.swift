/// Central finite differences: the numerical gradient of a scalar function.
///
/// `loss` is evaluated at `x ± eps·e_i` for each coordinate `i` (or for the coordinates in
/// `indices`, to keep large checks fast) and the slope `(f(x+) - f(x-)) / 2eps` is
/// returned. Losses should be accumulated in Double so that float rounding in the
/// forward pass stays far below the step.
public func numericalGradient(of loss: ([Float]) -> Double, at x: [Float], eps: Float = 1e-2,
                              indices: [Int]? = nil) -> [Float] {
    var probe = x
    return (indices ?? Array(x.indices)).map { i in
        let saved = probe[i]
        probe[i] = saved + eps
        let plus = loss(probe)
        probe[i] = saved - eps
        let minus = loss(probe)
        probe[i] = saved
        return Float((plus - minus) / Double(2 * eps))
    }
}

/// Picks up to `count` coordinates spread evenly over `0 ..< total` (always including the
/// first and last), so a finite-difference check covers the whole tensor cheaply.
public func sampleIndices(_ total: Int, count: Int) -> [Int] {
    guard total > count else { return Array(0 ..< total) }
    return (0 ..< count).map { $0 * (total - 1) / (count - 1) }
}

/// Σ a·b in Double: the scalar loss `L = Σ y·gy` whose gradient with respect to `y` is `gy`.
public func dot(_ a: [Float], _ b: [Float]) -> Double {
    precondition(a.count == b.count)
    var s = 0.0
    for i in a.indices { s += Double(a[i]) * Double(b[i]) }
    return s
}

/// `count` uniform random floats in [-1, 1) from a small deterministic generator, for test
/// inputs (independent of the library's generator so tests do not pin its stream).
public func randomFloats(_ count: Int, seed: UInt64) -> [Float] {
    var state = seed &+ 0x9E37_79B9_7F4A_7C15
    return (0 ..< count).map { _ in
        state = state &* 6364136223846793005 &+ 1442695040888963407
        return Float(Int64(bitPattern: state) >> 40) / Float(1 << 23)
    }
}
