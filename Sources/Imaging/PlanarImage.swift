import Core

/// A floating-point image stored channel-planar (channels x height x width), the layout
/// of torchvision's tensors and of the network's input.
///
/// Values are in [0, 1] after conversion from 8 bits, and anywhere after normalization.
public struct PlanarImage: Equatable, Sendable {
    public let channels: Int
    public let height: Int
    public let width: Int
    /// `channels * height * width` values: (c, y, x) is at `(c * height + y) * width + x`.
    public var data: [Float]

    public init(channels: Int = 3, height: Int, width: Int, data: [Float]) {
        contract(data.count == channels * height * width,
                 "PlanarImage: \(data.count) values for \(channels)x\(height)x\(width)")
        self.channels = channels
        self.height = height
        self.width = width
        self.data = data
    }

    /// A zero image.
    public init(channels: Int = 3, height: Int, width: Int) {
        self.init(channels: channels, height: height, width: width,
                  data: [Float](repeating: 0, count: channels * height * width))
    }

    /// Converts 8-bit RGB to floats in [0, 1] (torchvision's `ToTensor`).
    public init(_ image: RGBImage) {
        self.init(channels: 3, height: image.height, width: image.width, data: image.planarFloats())
    }

    public subscript(c: Int, y: Int, x: Int) -> Float {
        get { data[(c * height + y) * width + x] }
        set { data[(c * height + y) * width + x] = newValue }
    }

    /// Back to 8 bits, clamping to [0, 1] (for figures).
    public func rgbImage() -> RGBImage {
        contract(channels == 3, "rgbImage() needs 3 channels")
        return RGBImage(planar: data, width: width, height: height)
    }
}
