import Foundation

/// A file that cannot be used, as one line: the path, then what is wrong and what to do about it.
///
/// The file may be an image that does not decode, a checkpoint that does not fit the model, a
/// recipe with a bad value, a data set that is missing, a download that failed or a file that
/// cannot be written. Every module throws this one type; no caller branches on which kind of
/// file it was, and the message says it.
public struct FileError: Error, CustomStringConvertible, LocalizedError, Equatable {
    /// The file or folder at fault (empty when no single path is to blame, e.g. a download
    /// whose message names its address itself).
    public let path: String
    /// What is wrong and what to do about it.
    public let reason: String

    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }

    /// An error whose message names what it is about itself.
    public init(_ message: String) {
        self.init(path: "", reason: message)
    }

    public var description: String { path.isEmpty ? reason : "\(path): \(reason)" }
    public var errorDescription: String? { description }
}
