import Core
import Imaging

/// Every image of a data set decoded into one contiguous block, all of one size.
///
/// Storage: `pixels` holds `count x height x width x 3` bytes (uint8, HWC per image,
/// images back to back), so image `i`, row `y`, column `x`, channel `c` is at
/// `((i * height + y) * width + x) * 3 + c`. `labels[i]` is the class of image `i`
/// (-1 when unlabelled). The training loop reads the block through
/// `withUnsafeBufferPointer` or one image through `withUnsafeImageBuffer(at:)`.
public struct InMemoryDataset: LabelledImageDataset, Sendable {
    public let identity: DatasetIdentity
    public let classNames: [String]
    /// Width of every image, in pixels.
    public let width: Int
    /// Height of every image, in pixels.
    public let height: Int
    /// `count * height * width * 3` bytes, see the type's description.
    public let pixels: [UInt8]
    /// One label per image: a class index, or -1 for an unlabelled image.
    public let labels: [Int]

    /// Wraps already-decoded pixels.
    ///
    /// - Parameters:
    ///   - pixels: `labels.count * height * width * 3` bytes, images back to back, HWC.
    ///   - labels: one per image, each in `-1 ..< classNames.count`.
    public init(identity: DatasetIdentity, classNames: [String], width: Int, height: Int,
                pixels: [UInt8], labels: [Int]) {
        contract(width > 0 && height > 0, "InMemoryDataset: images need a positive size")
        contract(pixels.count == labels.count * height * width * 3,
                 "InMemoryDataset: \(pixels.count) bytes for \(labels.count) images of \(width)x\(height)x3")
        contract(labels.allSatisfy { $0 >= -1 && $0 < classNames.count },
                 "InMemoryDataset: a label is outside -1 ..< \(classNames.count)")
        self.identity = identity
        self.classNames = classNames
        self.width = width
        self.height = height
        self.pixels = pixels
        self.labels = labels
    }

    public var count: Int { labels.count }

    /// Bytes of one image: `height * width * 3`.
    public var imageByteCount: Int { height * width * 3 }

    public func label(at index: Int) -> Int { labels[index] }

    /// A copy of image `index` as an `RGBImage` (never throws: the pixels are in memory).
    public func image(at index: Int) throws -> RGBImage { rgbImage(at: index) }

    /// A copy of image `index` as an `RGBImage`.
    public func rgbImage(at index: Int) -> RGBImage {
        contract(index >= 0 && index < count, "InMemoryDataset: image \(index) of \(count)")
        let start = index * imageByteCount
        return RGBImage(width: width, height: height, pixels: Array(pixels[start ..< start + imageByteCount]))
    }

    /// Calls `body` with all `count * height * width * 3` bytes (layout in the type's
    /// description). The pointer is valid only inside `body`.
    public func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        try pixels.withUnsafeBufferPointer(body)
    }

    /// Calls `body` with the `height * width * 3` bytes (HWC) of image `index`.
    /// The pointer is valid only inside `body`.
    public func withUnsafeImageBuffer<R>(at index: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        contract(index >= 0 && index < count, "InMemoryDataset: image \(index) of \(count)")
        return try pixels.withUnsafeBufferPointer { all in
            try body(UnsafeBufferPointer(rebasing: all[index * imageByteCount ..< (index + 1) * imageByteCount]))
        }
    }
}

extension InMemoryDataset {
    /// The images at `indices`, in that order (an index may repeat).
    /// - Parameter name: the new data set's name; by default the same as this one's.
    public func subset(_ indices: [Int], name: String? = nil) -> InMemoryDataset {
        let size = imageByteCount
        var out = [UInt8](repeating: 0, count: indices.count * size)
        out.withUnsafeMutableBufferPointer { dst in
            pixels.withUnsafeBufferPointer { src in
                for (j, i) in indices.enumerated() {
                    contract(i >= 0 && i < count, "subset: index \(i) outside 0 ..< \(count)")
                    (dst.baseAddress! + j * size).update(from: src.baseAddress! + i * size, count: size)
                }
            }
        }
        var id = identity
        if let name { id.name = name }
        return InMemoryDataset(identity: id, classNames: classNames, width: width, height: height,
                               pixels: out, labels: indices.map { labels[$0] })
    }

    /// The first `k` images of every class in this data set's order (see
    /// `firstIndicesPerClass`), kept in that order.
    ///
    /// A class with fewer than `k` images gives all it has.
    public func firstPerClass(_ k: Int) -> InMemoryDataset {
        subset(firstIndicesPerClass(k), name: "\(identity.name), first \(grouped(k)) per class")
    }
}
