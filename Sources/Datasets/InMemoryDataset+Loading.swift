import Core
import Imaging

extension InMemoryDataset {
    /// Decodes images of any data set into memory, on all cores.
    ///
    /// `source.image(at:)` is called concurrently from several threads, which every
    /// data set of this module allows (they are immutable values; lazy ones read and
    /// decode a file per call).
    ///
    /// - Parameters:
    ///   - source: the data set to read.
    ///   - indices: which images, in which order; all of them by default.
    ///   - transform: applied to each decoded image (e.g. a resize for Food-101, whose
    ///     images differ in size); after it every image must have the size of the first.
    /// - Throws: the first failing image's error (in index order), or a one-line error
    ///   when the images are not all the same size.
    public init(loading source: some LabelledImageDataset, indices: [Int]? = nil,
                transform: ((RGBImage) throws -> RGBImage)? = nil) throws {
        let order = indices ?? Array(0 ..< source.count)
        func decode(_ i: Int) throws -> RGBImage {
            let image = try source.image(at: i)
            return try transform.map { try $0(image) } ?? image
        }
        guard let first = order.first else {
            throw FileError(path: source.identity.location,
                               reason: "no images to load in \(source.identity.name)")
        }
        let probe = try decode(first)
        let (width, height) = (probe.width, probe.height)
        let size = width * height * 3
        var pixels = [UInt8](repeating: 0, count: order.count * size)
        var failures = [(any Error)?](repeating: nil, count: order.count)
        pixels.withUnsafeMutableBufferPointer { dst in
            failures.withUnsafeMutableBufferPointer { failed in
                // Many small blocks rather than one per thread: decode times vary and the
                // machine is shared, so threads that finish early take the next block.
                // Each block writes only its own images' bytes and failure slots.
                let block = 64
                Parallel.forEach((order.count + block - 1) / block) { b in
                    for j in b * block ..< min(order.count, (b + 1) * block) {
                        do {
                            let image = j == 0 ? probe : try decode(order[j])
                            guard image.width == width && image.height == height else {
                                throw FileError(
                                    path: source.identity.location,
                                    reason: "image \(order[j]) is \(image.width)x\(image.height) but image \(first) is \(width)x\(height); pass a transform that resizes them to one size")
                            }
                            image.pixels.withUnsafeBufferPointer { src in
                                (dst.baseAddress! + j * size).update(from: src.baseAddress!, count: size)
                            }
                        } catch {
                            failed[j] = error
                        }
                    }
                }
            }
        }
        if let error = failures.lazy.compactMap({ $0 }).first { throw error }
        self.init(identity: source.identity, classNames: source.classNames, width: width, height: height,
                  pixels: pixels, labels: order.map { source.label(at: $0) })
    }
}
