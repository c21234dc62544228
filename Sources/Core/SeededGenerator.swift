/// The one source of randomness in the project: a seeded xoshiro256** generator.
///
/// Every random draw (weight init, shuffling, augmentation parameters, t-SNE noise)
/// goes through this type, so `--seed 0` prints the same numbers on every machine.
/// The helpers below (`uniform`, `normal`, `shuffle`) are written out here rather than
/// borrowed from the standard library, whose algorithms may change between releases.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var s0, s1, s2, s3: UInt64

    /// Creates a generator whose state is expanded from `seed` with SplitMix64,
    /// as the xoshiro authors recommend.
    public init(seed: UInt64) {
        var x = seed
        func splitMix() -> UInt64 {
            x &+= 0x9E37_79B9_7F4A_7C15
            var z = x
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        s0 = splitMix(); s1 = splitMix(); s2 = splitMix(); s3 = splitMix()
    }

    public mutating func next() -> UInt64 {
        let result = rotl(s1 &* 5, 7) &* 9
        let t = s1 << 17
        s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3
        s2 ^= t
        s3 = rotl(s3, 45)
        return result
    }

    @inline(__always) private func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 {
        (x << k) | (x >> (64 - k))
    }

    /// A generator for one of many independent streams of a run (e.g. the augmentation of
    /// epoch 3, step 17).
    ///
    /// Each component is folded in with SplitMix64, so streams depend only on (seed, stream)
    /// and a resumed run draws exactly what a straight run would.
    public init(seed: UInt64, stream: [UInt64]) {
        var x = seed
        for s in stream {
            x = x &+ 0x9E37_79B9_7F4A_7C15 &+ s
            x = (x ^ (x >> 30)) &* 0xBF58_476D_1CE4_E5B9
            x = (x ^ (x >> 27)) &* 0x94D0_49BB_1331_11EB
            x ^= x >> 31
        }
        self.init(seed: x)
    }

    /// A new generator for an independent stream (e.g. one per worker or per image),
    /// derived from this one's next output so that the split itself is reproducible.
    public mutating func split() -> SeededGenerator {
        SeededGenerator(seed: next())
    }

    /// Uniform `Double` in [0, 1) from the top 53 bits.
    public mutating func unitDouble() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// Uniform `Float` in [0, 1) from the top 24 bits.
    public mutating func unitFloat() -> Float {
        Float(next() >> 40) * 0x1.0p-24
    }

    /// Uniform `Double` in [lower, upper).
    public mutating func uniform(_ lower: Double, _ upper: Double) -> Double {
        lower + (upper - lower) * unitDouble()
    }

    /// Uniform `Float` in [lower, upper).
    public mutating func uniform(_ lower: Float, _ upper: Float) -> Float {
        lower + (upper - lower) * unitFloat()
    }

    /// Uniform integer in `0 ..< bound` without modulo bias (Lemire's method).
    public mutating func integer(below bound: Int) -> Int {
        contract(bound > 0, "integer(below:) needs a positive bound")
        let b = UInt64(bound)
        var m = next().multipliedFullWidth(by: b)
        if m.low < b {
            let threshold = (0 &- b) % b
            while m.low < threshold { m = next().multipliedFullWidth(by: b) }
        }
        return Int(m.high)
    }

    /// Uniform integer in the closed range.
    public mutating func integer(in range: ClosedRange<Int>) -> Int {
        range.lowerBound + integer(below: range.upperBound - range.lowerBound + 1)
    }

    /// `true` with probability `p`.
    public mutating func bernoulli(_ p: Double) -> Bool {
        unitDouble() < p
    }

    /// Standard normal draw by the Box-Muller transform.
    public mutating func normal() -> Double {
        // 1 - u keeps the logarithm's argument in (0, 1].
        let u1 = 1 - unitDouble(), u2 = unitDouble()
        return (-2 * _log(u1)).squareRoot() * _cos(2 * Double.pi * u2)
    }

    /// Fisher-Yates shuffle, in place.
    public mutating func shuffle<T>(_ array: inout [T]) {
        guard array.count > 1 else { return }
        for i in stride(from: array.count - 1, to: 0, by: -1) {
            array.swapAt(i, integer(below: i + 1))
        }
    }

    /// A random permutation of `0 ..< n`.
    public mutating func permutation(_ n: Int) -> [Int] {
        var p = Array(0 ..< n)
        shuffle(&p)
        return p
    }
}

#if canImport(Glibc)
import Glibc
@inline(__always) private func _log(_ x: Double) -> Double { Glibc.log(x) }
@inline(__always) private func _cos(_ x: Double) -> Double { Glibc.cos(x) }
#elseif canImport(Musl)
import Musl
@inline(__always) private func _log(_ x: Double) -> Double { Musl.log(x) }
@inline(__always) private func _cos(_ x: Double) -> Double { Musl.cos(x) }
#else
import Darwin
@inline(__always) private func _log(_ x: Double) -> Double { Darwin.log(x) }
@inline(__always) private func _cos(_ x: Double) -> Double { Darwin.cos(x) }
#endif
