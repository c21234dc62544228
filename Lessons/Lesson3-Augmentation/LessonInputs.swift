import Foundation
import LessonKit
import SimCLR

/// The two pictures the lesson works on: a CIFAR-10 cat (the card's example is a cat; it shows
/// no image) and a photo at the write-up's scale.
enum LessonInputs {
    /// Where the photo lives, relative to the project root.
    static let photoPath = "data/chelsea.png"

    /// Reads `data/chelsea.png` (451x300, CC0, from scikit-image) from the project root.
    /// - Throws: a one-line `FileError` when the file is missing, or the decoder's
    ///   one-line error when it is not a readable image.
    static func photo() throws -> (image: RGBImage, url: URL) {
        let url = DataLocator.projectRoot().appendingPathComponent(photoPath)
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw FileError(path: url.path, reason: "photo not found; run the lesson from inside the project "
                + "(it reads \(photoPath) under the folder holding Package.swift), or restore it with `git checkout data/chelsea.png`")
        }
        return (try ImageFile.read(url), url)
    }

    /// The index of the first test image labelled "cat" (`test/cat/0000.jpg`), standing in for the
    /// card's example
    /// (record 3 of the bundled sample, whose test split is class-interleaved).
    /// - Throws: when the data has no class called "cat" or no image of it.
    static func firstCat(in test: InMemoryDataset) throws -> Int {
        guard let cat = test.classNames.firstIndex(of: "cat") else {
            throw LessonError("the data's classes (\(test.classNames.joined(separator: ", "))) "
                + "have no 'cat': give --data a CIFAR-10 folder")
        }
        guard let index = test.labels.firstIndex(of: cat) else {
            throw LessonError("the test split holds no image labelled 'cat': give --data a complete CIFAR-10 folder")
        }
        return index
    }
}
