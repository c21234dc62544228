/// Stops the program with `message` when `condition` is false, in every build.
///
/// The numeric modules are compiled with `-Ounchecked`, under which Swift does not evaluate
/// `precondition` at all: a shape mismatch would read out of bounds instead of stopping.
/// `fatalError` is kept by every optimisation level, so the library states its contracts
/// with this function instead. It costs one comparison per call: use it at API boundaries
/// (layer entry points, initialisers, data-set accessors), not inside a kernel's inner loop.
///
/// What the checks cost is measured by building without them (`SIMCLR_CONTRACTS=off`, a
/// benchmark-only build; `scripts/bench/contracts_cost.sh`), never by shipping one.
///
/// - Parameters:
///   - condition: what the caller promised.
///   - message: what was wrong, naming the values (built only on failure).
@inline(__always)
public func contract(_ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String,
                     file: StaticString = #fileID, line: UInt = #line) {
    #if !CONTRACTS_OFF
    if !condition() { contractFailure(message(), file: file, line: line) }
    #endif
}

/// The cold path of `contract`, out of line so the check itself stays small.
@inline(never)
public func contractFailure(_ message: String, file: StaticString = #fileID, line: UInt = #line) -> Never {
    fatalError(message, file: file, line: line)
}
