/// Which register tiles the optimized kernels use, sized for the vector unit the code is
/// compiled for.
///
/// A kernel's register tile keeps its accumulators in vector registers for a whole
/// reduction. A `SIMD16<Float>` is one register on AVX-512 (32 registers of 16 floats), two
/// on AVX2 (16 registers of 8 floats) and four on NEON (32 registers of 4 floats). A tile of
/// 16 `SIMD16` accumulators therefore fits AVX-512 with room for the operands, but needs 32
/// AVX2 registers, twice what exist: the compiler spills accumulators to memory on every
/// multiply-add. The `.narrow` tiles hold at most 6 `SIMD16` accumulators (12 AVX2
/// registers, 24 NEON registers), leaving room for the loaded and broadcast operands.
///
/// Each output element sums the same products in the same order in either tile, so the
/// choice changes speed only: results are identical bit for bit.
public enum RegisterTile: String, Sendable, CaseIterable {
    /// Tiles of 16 `SIMD16` accumulators, for 32 registers of 512 bits.
    case wide
    /// Tiles of at most 6 `SIMD16` accumulators, for 16 registers of 256 bits (or 32 of 128).
    case narrow

    /// The tile the build was made for. Package.swift defines `WIDE_VECTOR_REGISTERS` when it
    /// compiles for a CPU with AVX-512 (see `wideVectorRegisters` there).
    public static let compiled: RegisterTile = {
        #if WIDE_VECTOR_REGISTERS
        return .wide
        #else
        return .narrow
        #endif
    }()

    /// The tile in use: `compiled` unless a test or the benchmark sets the other one to check
    /// or time it. Set it before a pass starts, not during one.
    nonisolated(unsafe) package static var current: RegisterTile = compiled
}
