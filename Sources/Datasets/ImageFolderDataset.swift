import Core
import Foundation
import Imaging

/// Images stored one file per image as `root/<class>/<name>.jpg|.jpeg|.png`
/// (torchvision's `ImageFolder`).
///
/// Classes are the sorted names of the sub-folders (label = position in that order);
/// within a class, files are sorted by name, so "the first K images of a class" are
/// its first K file names. Nothing is decoded when the data set is made: `image(at:)`
/// reads and decodes one file, so any number of threads may call it at once.
public struct ImageFolderDataset: ImageFileList, Sendable {
    public let identity: DatasetIdentity
    public let classNames: [String]
    /// The file of every image, in data set order (class by class).
    public let files: [URL]
    /// The label of every image.
    public let labels: [Int]

    /// File name endings that count as images (compared without regard to case).
    public static let imageExtensions: Set<String> = ["jpg", "jpeg", "png"]

    /// Lists `root/<class>/*` without decoding anything.
    ///
    /// - Parameters:
    ///   - root: the folder whose sub-folders are the classes.
    ///   - name: what to call the data set (default: the folder's name).
    ///   - location: how to name the folder in messages (default: its path).
    /// - Throws: a one-line error when `root` is missing or holds no class folder with images.
    public init(root: URL, name: String? = nil, location: String? = nil) throws {
        guard DataLocator.isFolder(root) else {
            throw FileError(path: root.path, reason: "no such folder (expected one sub-folder of images per class)")
        }
        let entries = try Self.listing(root)
        let classNames = entries.filter { DataLocator.isFolder(root.appendingPathComponent($0)) }
        guard !classNames.isEmpty else {
            throw FileError(path: root.path, reason: "has no class sub-folders (expected root/<class>/<image>.jpg)")
        }
        var files: [URL] = [], labels: [Int] = []
        for (label, className) in classNames.enumerated() {
            let folder = root.appendingPathComponent(className)
            let images = try Self.listing(folder).filter {
                Self.imageExtensions.contains(($0 as NSString).pathExtension.lowercased())
            }
            files += images.map { folder.appendingPathComponent($0) }
            labels += Array(repeating: label, count: images.count)
        }
        guard !files.isEmpty else {
            throw FileError(path: root.path, reason: "its class folders hold no .jpg, .jpeg or .png files")
        }
        self.identity = DatasetIdentity(name: name ?? root.lastPathComponent, location: location ?? root.path)
        self.classNames = classNames
        self.files = files
        self.labels = labels
    }

    /// The visible entries of a folder, sorted by name (byte order, so "0010" follows "0009").
    private static func listing(_ folder: URL) throws -> [String] {
        do {
            return try FileManager.default.contentsOfDirectory(atPath: folder.path)
                .filter { !$0.hasPrefix(".") }
                .sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        } catch {
            throw FileError(path: folder.path, reason: "cannot list the folder (\(error.localizedDescription))")
        }
    }
}
