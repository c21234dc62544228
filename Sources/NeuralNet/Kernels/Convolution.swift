import Core

/// The passes of a 2-D convolution, on raw pointers (the `Conv2d` layer holds the tensors).
///
/// Each pass exists twice: `…Reference` (plain loops that follow the formula,
/// `Convolution+Reference.swift`) and `…Optimized` (the kernel `ConvKernel.choose` picks,
/// `Convolution+Optimized.swift`); the unsuffixed pass runs the one `ComputePath.current`
/// names.
package enum Convolution {

    /// 2-D convolution without bias (ResNet's convolutions are followed by batch norm, which
    /// has its own shift). Dispatches on `ComputePath.current`; see the `Reference`
    /// functions for the formulas and the shape contracts.
    package static func forward(_ g: ConvGeometry, x: UnsafePointer<Float>, w: UnsafePointer<Float>,
                                y: UnsafeMutablePointer<Float>) {
        switch ComputePath.current {
        case .reference: Convolution.forwardReference(g, x: x, w: w, y: y)
        case .optimized: Convolution.forwardOptimized(g, x: x, w: w, y: y)
        }
    }

    /// Input gradient of `Convolution.forward`. Shapes: `dy` output, `w` weight, `dx` input (overwritten).
    package static func backwardData(_ g: ConvGeometry, dy: UnsafePointer<Float>, w: UnsafePointer<Float>,
                                     dx: UnsafeMutablePointer<Float>) {
        switch ComputePath.current {
        case .reference: Convolution.backwardDataReference(g, dy: dy, w: w, dx: dx)
        case .optimized: Convolution.backwardDataOptimized(g, dy: dy, w: w, dx: dx)
        }
    }

    /// Weight gradient of `Convolution.forward`. Shapes: `x` input, `dy` output, `dw` weight
    /// (overwritten, or added to with `accumulate`).
    package static func backwardWeights(_ g: ConvGeometry, x: UnsafePointer<Float>, dy: UnsafePointer<Float>,
                                        dw: UnsafeMutablePointer<Float>, accumulate: Bool = false) {
        switch ComputePath.current {
        case .reference: Convolution.backwardWeightsReference(g, x: x, dy: dy, dw: dw, accumulate: accumulate)
        case .optimized: Convolution.backwardWeightsOptimized(g, x: x, dy: dy, dw: dw, accumulate: accumulate)
        }
    }
}
