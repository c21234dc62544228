import Core

// The elementwise operations of a ResNet: ReLU and the residual sum. Each dispatcher
// states its contract and picks a twin (`Elementwise+Reference`, `Elementwise+Optimized`)
// by `ComputePath.current`; the twins compute exactly the same values.

/// ReLU, `y = max(x, 0)`, elementwise over `count` floats. `y` may alias `x`.
package func reluForward(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int) {
    switch ComputePath.current {
    case .reference: reluForwardReference(x, y, count: count)
    case .optimized: reluForwardOptimized(x, y, count: count)
    }
}

/// ReLU backward: the gradient passes where the output was positive,
/// `dx = dy · [y > 0]`. Uses the forward *output* `y` (equivalent to the input's sign and
/// lets the forward pass run in place). `dx` may alias `dy`.
package func reluBackward(_ y: UnsafePointer<Float>, _ dy: UnsafePointer<Float>, _ dx: UnsafeMutablePointer<Float>,
                         count: Int) {
    switch ComputePath.current {
    case .reference: reluBackwardReference(y, dy, dx, count: count)
    case .optimized: reluBackwardOptimized(y, dy, dx, count: count)
    }
}

/// Elementwise sum `out = a + b` (the residual connection). `out` may alias `a` or `b`.
package func add(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>, count: Int) {
    switch ComputePath.current {
    case .reference: addReference(a, b, out, count: count)
    case .optimized: addOptimized(a, b, out, count: count)
    }
}

/// Fused residual join of a ResNet block: `out = max(a + b, 0)`. `out` may alias `a` or `b`.
package func addReLU(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>,
                    count: Int) {
    switch ComputePath.current {
    case .reference: addReLUReference(a, b, out, count: count)
    case .optimized: addReLUOptimized(a, b, out, count: count)
    }
}
