import Foundation

/// A file that cannot be used — an image that does not decode, a checkpoint that does not fit
/// the model, a recipe with a bad value, a file that cannot be written — as one line: the
/// path, then what is wrong and what to do about it. Every module throws this one type; no
/// caller branches on which kind of file it was, and the message says it.
public struct FileError: Error, CustomStringConvertible, LocalizedError {
    public let path: String
    public let reason: String

    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }

    public var description: String { "\(path): \(reason)" }
    public var errorDescription: String? { description }
}
