import Core
import Imaging

extension PlanarImage {
    /// Crops `box` and resizes it bilinearly to `height` x `width` (torchvision's
    /// `resized_crop` on a tensor; the reference path, written as plain loops).
    ///
    /// Output pixel (c, y, x) is the double sum over its row taps and column taps
    /// (`ResampleTaps`) of `wy * wx * self[c, top + sy, left + sx]`.
    ///
    /// - Parameters:
    ///   - box: the crop, inside the image.
    ///   - height: output rows.
    ///   - width: output columns.
    ///   - antialias: torchvision's `antialias=True` (the default of `RandomResizedCrop`)
    ///     filters when shrinking; `false` is plain bilinear (the fixture
    ///     `resized_crop_t4_l6_h20_w18`).
    /// - Returns: `channels` x `height` x `width`.
    public func resizedCrop(_ box: CropBox, height outHeight: Int, width outWidth: Int,
                            antialias: Bool = true) -> PlanarImage {
        contract(box.fits(height: height, width: width),
                 "resizedCrop: box \(box) is not inside a \(height)x\(width) image")
        contract(outHeight > 0 && outWidth > 0, "resizedCrop: output size must be positive")
        let rowTaps = (0 ..< outHeight).map {
            ResampleTaps(index: $0, inputSize: box.height, outputSize: outHeight, antialias: antialias)
        }
        let columnTaps = (0 ..< outWidth).map {
            ResampleTaps(index: $0, inputSize: box.width, outputSize: outWidth, antialias: antialias)
        }
        var out = PlanarImage(channels: channels, height: outHeight, width: outWidth)
        for c in 0 ..< channels {
            for y in 0 ..< outHeight {
                let rows = rowTaps[y]
                for x in 0 ..< outWidth {
                    let columns = columnTaps[x]
                    var sum: Float = 0
                    for (i, wy) in rows.weights.enumerated() {
                        var rowSum: Float = 0
                        for (j, wx) in columns.weights.enumerated() {
                            rowSum += wx * self[c, box.top + rows.start + i, box.left + columns.start + j]
                        }
                        sum += wy * rowSum
                    }
                    out[c, y, x] = sum
                }
            }
        }
        return out
    }

    /// `resizedCrop(box, height: size, width: size, antialias:)`: a square output.
    public func resizedCrop(_ box: CropBox, to size: Int, antialias: Bool = true) -> PlanarImage {
        resizedCrop(box, height: size, width: size, antialias: antialias)
    }
}
