import Core
import Imaging

/// A set of labelled images: the one interface the lessons see, whatever the files are.
///
/// Indices run over `0 ..< count` in the data set's own order, which is the order
/// "the first K images of a class" refers to. Labels are class indices into
/// `classNames`, or -1 for an unlabelled image (STL-10's `unlabeled` split).
public protocol LabelledImageDataset {
    /// What the data set is and where it was loaded from, for printing.
    var identity: DatasetIdentity { get }
    /// Number of images.
    var count: Int { get }
    /// Class names in label order (label `k` is `classNames[k]`).
    var classNames: [String] { get }
    /// The label of image `index`: a class index, or -1 when the image has none.
    func label(at index: Int) -> Int
    /// The pixels of image `index` (decoded now if the data set is lazy).
    /// - Throws: a one-line error naming the file when it cannot be read or decoded.
    func image(at index: Int) throws -> RGBImage
}

/// The name of a data set and where it came from, e.g. "CIFAR-10 train" from
/// "data/cifar-10-batches-bin".
public struct DatasetIdentity: Sendable, Equatable, CustomStringConvertible {
    /// What the data set is, e.g. "CIFAR-10 test".
    public var name: String
    /// The folder or files it was loaded from, as given (a path or a short note).
    public var location: String

    public init(name: String, location: String) {
        self.name = name
        self.location = location
    }

    public var description: String { "\(name) (\(location))" }
}

extension LabelledImageDataset {
    /// One line for printing, e.g. "CIFAR-10 test (data/cifar10-sample): 2,000 images, 10 classes".
    public var summary: String {
        "\(identity): \(grouped(count)) images, \(classNames.count) classes"
    }

    /// All labels in data set order.
    public var labels: [Int] { (0 ..< count).map { label(at: $0) } }

    /// How many images each class has (unlabelled images are not counted).
    public func classCounts() -> [Int] {
        var counts = [Int](repeating: 0, count: classNames.count)
        for i in 0 ..< count {
            let y = label(at: i)
            if y >= 0 && y < counts.count { counts[y] += 1 }
        }
        return counts
    }

    /// The indices of the first `k` images of every class, in data set order: image `i`
    /// is taken when fewer than `k` earlier images share its label.
    ///
    /// A class with fewer than `k` images contributes all it has (check `classCounts()`
    /// of the result). Unlabelled images are never taken.
    public func firstIndicesPerClass(_ k: Int) -> [Int] {
        contract(k >= 0, "firstIndicesPerClass: k must not be negative")
        var taken = [Int](repeating: 0, count: classNames.count)
        var indices: [Int] = []
        indices.reserveCapacity(min(count, k * classNames.count))
        for i in 0 ..< count {
            let y = label(at: i)
            guard y >= 0 && y < taken.count && taken[y] < k else { continue }
            taken[y] += 1
            indices.append(i)
        }
        return indices
    }
}
