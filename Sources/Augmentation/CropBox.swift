/// A crop rectangle in source pixels, in torchvision's order: (top, left, height, width).
///
/// `RandomResizedCrop.draw` produces one; `PlanarImage.resizedCrop` consumes one.
public struct CropBox: Equatable, Hashable, Sendable, CustomStringConvertible {
    /// First row of the crop.
    public var top: Int
    /// First column of the crop.
    public var left: Int
    /// Rows in the crop.
    public var height: Int
    /// Columns in the crop.
    public var width: Int

    public init(top: Int, left: Int, height: Int, width: Int) {
        self.top = top
        self.left = left
        self.height = height
        self.width = width
    }

    /// The whole of a `height` x `width` image.
    public init(wholeImageOfHeight height: Int, width: Int) {
        self.init(top: 0, left: 0, height: height, width: width)
    }

    /// Whether the box is non-empty and lies inside a `height` x `width` image.
    public func fits(height imageHeight: Int, width imageWidth: Int) -> Bool {
        height > 0 && width > 0 && top >= 0 && left >= 0
            && top + height <= imageHeight && left + width <= imageWidth
    }

    /// `(top, left, HxW)`, e.g. `(4, 6, 20x18)`.
    public var description: String { "(\(top), \(left), \(height)x\(width))" }
}
