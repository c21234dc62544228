import Core

/// An optimizer's per-parameter state vectors (momentum, Adam's moments), keyed by
/// parameter name and updated in place: a step never copies a buffer.
///
/// Written once for SGD, LARS and Adam so the three keep their state the same way, and
/// so that `load` checks saved state against the model in one place.
struct StateBuffers {
    private var values: [String: [Float]] = [:]
    /// The parameters an update has reached: their buffers hold state (the others, reserved
    /// ahead, are zeros that no step has used).
    private var updated: Set<String> = []

    /// Creates the zeroed buffers of `parameters` that do not exist yet, without starting
    /// them: the first `update` still sees `isNew`.
    ///
    /// The buffers live as long as the optimizer. Created before the first forward pass, they
    /// sit beside the model in memory; created by the first step, they would land in the
    /// holes the step's freed activations leave, and split room that every later step's
    /// large activations need (at 256 classroom images, tens of MiB more memory).
    mutating func reserve(for parameters: [Parameter]) {
        for p in parameters where values[p.name] == nil {
            values[p.name] = [Float](repeating: 0, count: p.value.count)
        }
    }

    /// Calls `body` with the `count` floats kept for `name`, created as zeros on first use
    /// (`isNew` is true then: SGD starts its momentum from the first gradient, as PyTorch).
    mutating func update(_ name: String, count: Int,
                         _ body: (_ buffer: UnsafeMutablePointer<Float>, _ isNew: Bool) -> Void) {
        let isNew = updated.insert(name).inserted
        // The `default:` subscript mutates the stored array in place (no copy-on-write copy).
        values[name, default: [Float](repeating: 0, count: count)].withUnsafeMutableBufferPointer {
            contract($0.count == count, "optimizer state '\(name)': \($0.count) values, its parameter \(count)")
            body($0.baseAddress!, isNew)
        }
    }

    /// The state as checkpoint tensors named `prefix + parameter name` (of the parameters an
    /// update has reached).
    func tensors(prefix: String) -> [String: Tensor] {
        values.reduce(into: [:]) { result, entry in
            if updated.contains(entry.key) { result[prefix + entry.key] = Tensor(shape: [entry.value.count], data: entry.value) }
        }
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
        updated = Set(loaded.keys)
    }
}
