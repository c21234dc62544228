/// An optimizer's per-parameter state vectors (momentum, Adam's moments), keyed by
/// parameter name and updated in place: a step never copies a buffer.
///
/// Written once for SGD, LARS and Adam so the three keep their state the same way, and
/// so that `load` checks saved state against the model in one place.
struct StateBuffers {
    private(set) var values: [String: [Float]] = [:]

    /// Calls `body` with the `count` floats kept for `name`, created as zeros on first use
    /// (`isNew` is true then: SGD starts its momentum from the first gradient, as PyTorch).
    mutating func update(_ name: String, count: Int,
                         _ body: (_ buffer: UnsafeMutablePointer<Float>, _ isNew: Bool) -> Void) {
        let isNew = values[name] == nil
        // The `default:` subscript mutates the stored array in place (no copy-on-write copy).
        values[name, default: [Float](repeating: 0, count: count)].withUnsafeMutableBufferPointer {
            body($0.baseAddress!, isNew)
        }
    }

    /// The state as checkpoint tensors named `prefix + parameter name`.
    func tensors(prefix: String) -> [String: Tensor] {
        values.reduce(into: [:]) { $0[prefix + $1.key] = Tensor(shape: [$1.value.count], data: $1.value) }
    }

    /// Replaces the state with the tensors of `state` whose names start with `prefix`,
    /// checked against the model: no state (a fresh optimizer), or one tensor per parameter
    /// with the parameter's number of values. Anything else would resume a different run.
    mutating func load(_ state: [String: Tensor], prefix: String, for parameters: [Parameter]) throws {
        let counts = Dictionary(parameters.map { ($0.name, $0.value.count) }, uniquingKeysWith: { a, _ in a })
        var loaded: [String: [Float]] = [:]
        for (key, t) in state where key.hasPrefix(prefix) {
            let name = String(key.dropFirst(prefix.count))
            guard let count = counts[name] else {
                throw OptimizerStateError(description: "state '\(key)' belongs to no parameter of this model")
            }
            guard t.count == count else {
                throw OptimizerStateError(description: "state '\(key)' has \(t.count) values, its parameter \(count)")
            }
            loaded[name] = t.data
        }
        if !loaded.isEmpty, let missing = parameters.first(where: { loaded[$0.name] == nil }) {
            throw OptimizerStateError(description: "no '\(prefix)' state for parameter '\(missing.name)' "
                                      + "(\(loaded.count) of \(parameters.count) present)")
        }
        values = loaded
    }
}
