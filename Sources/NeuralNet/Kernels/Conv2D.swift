import Core

/// 2-D convolution without bias (ResNet's convolutions are followed by batch norm, which
/// has its own shift). Dispatches on `ComputePath.current`; see the `Reference`
/// functions for the formulas and the shape contracts.
package func conv2dForward(_ g: ConvGeometry, x: UnsafePointer<Float>, w: UnsafePointer<Float>,
                          y: UnsafeMutablePointer<Float>) {
    switch ComputePath.current {
    case .reference: conv2dForwardReference(g, x: x, w: w, y: y)
    case .optimized: conv2dForwardOptimized(g, x: x, w: w, y: y)
    }
}

/// Input gradient of `conv2dForward`. Shapes: `dy` output, `w` weight, `dx` input (overwritten).
package func conv2dBackwardData(_ g: ConvGeometry, dy: UnsafePointer<Float>, w: UnsafePointer<Float>,
                               dx: UnsafeMutablePointer<Float>) {
    switch ComputePath.current {
    case .reference: conv2dBackwardDataReference(g, dy: dy, w: w, dx: dx)
    case .optimized: conv2dBackwardDataOptimized(g, dy: dy, w: w, dx: dx)
    }
}

/// Weight gradient of `conv2dForward`. Shapes: `x` input, `dy` output, `dw` weight
/// (overwritten, or added to with `accumulate`).
package func conv2dBackwardWeights(_ g: ConvGeometry, x: UnsafePointer<Float>, dy: UnsafePointer<Float>,
                                  dw: UnsafeMutablePointer<Float>, accumulate: Bool = false) {
    switch ComputePath.current {
    case .reference: conv2dBackwardWeightsReference(g, x: x, dy: dy, dw: dw, accumulate: accumulate)
    case .optimized: conv2dBackwardWeightsOptimized(g, x: x, dy: dy, dw: dw, accumulate: accumulate)
    }
}
