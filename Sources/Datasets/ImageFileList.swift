import Foundation
import Imaging

/// A data set that is a list of image files with a label each (`ImageFolderDataset`,
/// `Food101Dataset`).
///
/// Nothing is decoded when it is made; `image(at:)` reads and decodes one file, so any
/// number of threads may call it at once. Conforming types only say how the list is found.
public protocol ImageFileList: LabelledImageDataset {
    /// The file of every image, in data set order.
    var files: [URL] { get }
    /// The label of every image, in the same order.
    var labels: [Int] { get }
}

extension ImageFileList {
    public var count: Int { files.count }

    public func label(at index: Int) -> Int { labels[index] }

    /// Reads and decodes the file of image `index`, at its own size.
    /// - Throws: a one-line error naming the file when it is missing, corrupt or truncated.
    public func image(at index: Int) throws -> RGBImage {
        try ImageFile.read(files[index])
    }
}
