/// Which implementation of the hot kernels to run.
///
/// Every hot operation exists twice: a `reference` version written as plain nested
/// loops that follow the formula, and an `optimized` version (SIMD vectors, blocking,
/// both cores) that computes the same thing within a stated tolerance. How the choice is
/// made (one convention for every module) is said in `RunSettings`.
public enum ComputePath: String, Sendable, CaseIterable {
    case reference
    case optimized

    /// The path layers use. Lessons set it once from `--reference`.
    nonisolated(unsafe) public static var current: ComputePath = .optimized

    /// Runs `body` with `current` temporarily set to `path`.
    public static func with<R>(_ path: ComputePath, _ body: () throws -> R) rethrows -> R {
        let saved = current
        current = path
        defer { current = saved }
        return try body()
    }
}
