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

    /// Replaces the state with the tensors of `state` whose names start with `prefix`.
    mutating func load(_ state: [String: Tensor], prefix: String) {
        values = [:]
        for (key, t) in state where key.hasPrefix(prefix) {
            values[String(key.dropFirst(prefix.count))] = t.data
        }
    }
}
