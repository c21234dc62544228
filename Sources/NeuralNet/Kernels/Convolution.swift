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
    ///
    /// With `affine`, `x` is the input of the batch norm before this convolution and the
    /// convolution is of that norm's output (`ChannelAffine`): the optimized direct and
    /// Winograd kernels apply it as they copy their input, the others (and the reference)
    /// read a normalised copy (`withNormalizedInput`).
    package static func forward(_ g: ConvGeometry, x: UnsafePointer<Float>, w: UnsafePointer<Float>,
                                y: UnsafeMutablePointer<Float>, normalizing affine: ChannelAffine? = nil) {
        switch ComputePath.current {
        case .reference: withNormalizedInput(g, x, affine) { Convolution.forwardReference(g, x: $0, w: w, y: y) }
        case .optimized: Convolution.forwardOptimized(g, x: x, w: w, y: y, normalizing: affine)
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

    /// `dx` plus the input gradient of `Convolution.forward`, written over `dx`: bit for bit
    /// `backwardData` into a tensor of its own followed by the addition, without that tensor
    /// where the optimized kernel can add as it writes (`Convolution.addsInputGradientInPlace`,
    /// the 1x1 stride-2 shortcut); elsewhere, and on the reference path, exactly those two steps.
    /// Shapes: `dy` output, `w` weight, `dx` input.
    package static func backwardDataAdding(_ g: ConvGeometry, dy: UnsafePointer<Float>, w: UnsafePointer<Float>,
                                           dx: UnsafeMutablePointer<Float>) {
        if ComputePath.current == .optimized && addsInputGradientInPlace(g) {
            return backwardDataOptimized(g, dy: dy, w: w, dx: dx, adding: true)
        }
        let count = g.batch * g.inputImageSize
        let gradient = UnsafeMutablePointer<Float>.allocate(capacity: count)
        defer { gradient.deallocate() }
        backwardData(g, dy: dy, w: w, dx: gradient)
        add(dx, gradient, dx, count: count)
    }

    /// Weight gradient of `Convolution.forward`. Shapes: `x` input, `dy` output, `dw` weight
    /// (overwritten, or added to with `accumulate`). `affine` as in `forward`.
    package static func backwardWeights(_ g: ConvGeometry, x: UnsafePointer<Float>, dy: UnsafePointer<Float>,
                                        dw: UnsafeMutablePointer<Float>, accumulate: Bool = false,
                                        normalizing affine: ChannelAffine? = nil) {
        switch ComputePath.current {
        case .reference:
            withNormalizedInput(g, x, affine) {
                Convolution.backwardWeightsReference(g, x: $0, dy: dy, dw: dw, accumulate: accumulate)
            }
        case .optimized:
            Convolution.backwardWeightsOptimized(g, x: x, dy: dy, dw: dw, accumulate: accumulate, normalizing: affine)
        }
    }

    /// Runs `body` on `x`, or, with `affine`, on a normalised copy of it in scratch memory
    /// (the input the kernels that cannot normalise as they read are given).
    static func withNormalizedInput(_ g: ConvGeometry, _ x: UnsafePointer<Float>, _ affine: ChannelAffine?,
                                    _ body: (UnsafePointer<Float>) -> Void) {
        guard let affine else { return body(x) }
        Scratch.withBuffer(count: g.batch * g.inputImageSize) { copy in
            affine.apply(x, into: copy, batch: g.batch, channels: g.inChannels, plane: g.height * g.width)
            body(copy)
        }
    }
}
