import Core

/// The shapes of one 2-D convolution: input `[batch, inChannels, height, width]`,
/// weight `[outChannels, inChannels, kernel, kernel]`, output
/// `[batch, outChannels, outHeight, outWidth]` with
/// `outHeight = (height + 2 * padding - kernel) / stride + 1` (PyTorch's rule, no dilation).
package struct ConvGeometry: Equatable, Sendable {
    package let batch: Int
    package let inChannels: Int
    package let height: Int
    package let width: Int
    package let outChannels: Int
    package let kernel: Int
    package let stride: Int
    package let padding: Int

    package init(batch: Int, inChannels: Int, height: Int, width: Int,
                outChannels: Int, kernel: Int, stride: Int, padding: Int) {
        contract(batch > 0 && inChannels > 0 && outChannels > 0 && kernel > 0 && stride > 0 && padding >= 0,
                 "ConvGeometry: sizes must be positive")
        contract(height + 2 * padding >= kernel && width + 2 * padding >= kernel,
                 "ConvGeometry: a \(kernel)x\(kernel) kernel does not fit a \(height)x\(width) input with padding \(padding)")
        self.batch = batch
        self.inChannels = inChannels
        self.height = height
        self.width = width
        self.outChannels = outChannels
        self.kernel = kernel
        self.stride = stride
        self.padding = padding
    }

    package var outHeight: Int { (height + 2 * padding - kernel) / stride + 1 }
    package var outWidth: Int { (width + 2 * padding - kernel) / stride + 1 }
    /// Elements of one input image.
    package var inputImageSize: Int { inChannels * height * width }
    /// Elements of one output image.
    package var outputImageSize: Int { outChannels * outHeight * outWidth }
    /// Pixels of one output plane: the columns each image contributes to the GEMM.
    package var outPixels: Int { outHeight * outWidth }
    /// Length of one unrolled receptive field: the GEMM's reduction depth.
    package var patchSize: Int { inChannels * kernel * kernel }
    package var weightCount: Int { outChannels * patchSize }
    package var inputShape: [Int] { [batch, inChannels, height, width] }
    package var outputShape: [Int] { [batch, outChannels, outHeight, outWidth] }
    package var weightShape: [Int] { [outChannels, inChannels, kernel, kernel] }
    /// Multiply-adds of the forward pass.
    package var multiplyAdds: Int { batch * outChannels * outPixels * patchSize }
}
