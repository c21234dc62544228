import CSIMDShuffle

/// Unaligned SIMD loads and stores on Float pointers.
///
/// These are `@inlinable` in their own module on purpose: the package builds without
/// whole-module optimization, so a small helper in another file of the same module is
/// an opaque call inside the hot loop, whereas an `@inlinable` function of another
/// module is inlined wherever it is used.
extension UnsafePointer where Pointee == Float {
    /// The 16 floats starting at `self + offset`.
    @inlinable @inline(__always)
    public func simd16(_ offset: Int = 0) -> SIMD16<Float> {
        UnsafeRawPointer(self + offset).loadUnaligned(as: SIMD16<Float>.self)
    }

    /// The 8 floats starting at `self + offset`.
    @inlinable @inline(__always)
    public func simd8(_ offset: Int = 0) -> SIMD8<Float> {
        UnsafeRawPointer(self + offset).loadUnaligned(as: SIMD8<Float>.self)
    }
}

extension UnsafePointer where Pointee == Float {
    /// The first `count` floats at `self + offset` (all 16 when `count >= 16`); missing
    /// lanes are 0. For the ragged end of a row.
    @inlinable @inline(__always)
    public func simd16(_ offset: Int, count: Int) -> SIMD16<Float> {
        if count >= 16 { return UnsafeRawPointer(self + offset).loadUnaligned(as: SIMD16<Float>.self) }
        var v = SIMD16<Float>()
        for i in 0 ..< count { v[i] = self[offset + i] }
        return v
    }
}

extension UnsafeMutablePointer where Pointee == Float {
    /// The first `count` floats at `self + offset` (all 16 when `count >= 16`); missing lanes are 0.
    @inlinable @inline(__always)
    public func simd16(_ offset: Int, count: Int) -> SIMD16<Float> {
        UnsafePointer(self).simd16(offset, count: count)
    }

    /// Writes the first `count` lanes of `value` at `self + offset` (all 16 when `count >= 16`).
    @inlinable @inline(__always)
    public func store(_ value: SIMD16<Float>, at offset: Int, count: Int) {
        if count >= 16 {
            UnsafeMutableRawPointer(self + offset).storeBytes(of: value, as: SIMD16<Float>.self)
            return
        }
        for i in 0 ..< count { self[offset + i] = value[i] }
    }

    /// The 16 floats starting at `self + offset`.
    @inlinable @inline(__always)
    public func simd16(_ offset: Int = 0) -> SIMD16<Float> {
        UnsafeRawPointer(self + offset).loadUnaligned(as: SIMD16<Float>.self)
    }

    /// The 8 floats starting at `self + offset`.
    @inlinable @inline(__always)
    public func simd8(_ offset: Int = 0) -> SIMD8<Float> {
        UnsafeRawPointer(self + offset).loadUnaligned(as: SIMD8<Float>.self)
    }

    /// Writes 16 floats starting at `self + offset`.
    @inlinable @inline(__always)
    public func store(_ value: SIMD16<Float>, at offset: Int = 0) {
        UnsafeMutableRawPointer(self + offset).storeBytes(of: value, as: SIMD16<Float>.self)
    }

    /// Writes 8 floats starting at `self + offset`.
    @inlinable @inline(__always)
    public func store(_ value: SIMD8<Float>, at offset: Int = 0) {
        UnsafeMutableRawPointer(self + offset).storeBytes(of: value, as: SIMD8<Float>.self)
    }
}

extension SIMD16 where Scalar == Float {
    /// The sum of the 16 lanes as a tree of halves (a few vector adds).
    ///
    /// The standard library's `sum()` is a generic call adding lane by lane, which showed
    /// up at 9 % of a training step in the weight-gradient kernel.
    @inlinable @inline(__always)
    public func laneSum() -> Float {
        let a = lowHalf + highHalf
        let b = a.lowHalf + a.highHalf
        let c = b.lowHalf + b.highHalf
        return c[0] + c[1]
    }
}

/// Asks the caches to fetch `count` floats from `start` into the second-level cache, one
/// request per 64-byte line, ahead of their use; nothing is read or written now.
///
/// A kernel that works through a batch an image at a time calls this with a slice of the
/// next image while it computes on this one, so the next image comes from the cache instead
/// of memory (the hardware's own prefetcher starts only once the reads have begun, and a
/// whole image then waits on memory). Spread over the work: each request holds one of the
/// core's few line-fill buffers until the line arrives, so a burst of hundreds would stall.
@inlinable @inline(__always)
public func prefetchToCache(_ start: UnsafePointer<Float>, count: Int) {
    var offset = 0
    while offset < count {
        simd_prefetch_l2(start + offset)
        offset += 16
    }
}
