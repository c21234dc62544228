import Foundation

/// A data set that cannot be found or read: which file or folder, what is wrong with it,
/// and what to do. The description is one line, ready to print.
public struct DatasetError: Error, CustomStringConvertible, LocalizedError, Equatable {
    /// The file or folder at fault (may be empty when no single path is to blame).
    public let path: String
    /// What is wrong and what to do about it.
    public let reason: String

    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }

    public var description: String { path.isEmpty ? reason : "\(path): \(reason)" }
    public var errorDescription: String? { description }
}
