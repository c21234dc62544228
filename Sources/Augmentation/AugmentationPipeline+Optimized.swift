import Core
import Imaging

extension AugmentationPipeline {
    /// The optimized path: the fused SIMD kernels render the view in one pass through a
    /// workspace. Same contract and result (within 1e-5) as `applyReference`.
    func applyOptimized(_ p: ViewParameters, to image: RGBImage) -> PlanarImage {
        var data = [Float](repeating: 0, count: 3 * size * size)
        let workspace = AugmentationWorkspace()
        data.withUnsafeMutableBufferPointer { out in
            renderOptimized(p, source: image, into: out.baseAddress!, workspace: workspace)
        }
        return PlanarImage(channels: 3, height: size, width: size, data: data)
    }

    /// Scratch floats one view needs on the optimized path (resize, then blur, reuse it).
    func workspaceFloats(crop box: CropBox) -> Int {
        let blurTaps = blur?.kernelSize ?? 1
        return max(Kernels.resizedCropScratch(box: box, size: size), size * size + size + blurTaps)
    }

    /// The optimized path for one view, written straight to `out` (3 x size x size):
    /// fused ToTensor/crop/resize/flip, then the jitter, grey, blur and normalize
    /// kernels in place. Same draws, same stages as `applyReference`.
    func renderOptimized(_ p: ViewParameters, source: RGBImage, into out: UnsafeMutablePointer<Float>,
                         workspace: AugmentationWorkspace) {
        contract(p.crop.fits(height: source.height, width: source.width),
                 "render: crop \(p.crop) is not inside the \(source.height)x\(source.width) source")
        let temp = workspace.floats(workspaceFloats(crop: p.crop))
        let count = size * size
        source.pixels.withUnsafeBufferPointer { pixels in
            Kernels.resizedCrop(source: pixels.baseAddress!, sourceWidth: source.width, box: p.crop, size: size,
                                antialias: crop.antialias, flip: p.flipped, temp: temp, out: out)
        }
        if let j = p.jitter { Kernels.jitter(j, out, count: count) }
        if p.grayscale { Kernels.grayscale(out, count: count) }
        if let sigma = p.blurSigma, let blur {
            Kernels.blur(out, size: size, kernel: GaussianBlur.kernel(size: blur.kernelSize, sigma: sigma),
                         normalization: normalization, temp: temp)
        } else if let normalization {
            Kernels.normalize(out, count: count, normalization)
        }
    }
}
