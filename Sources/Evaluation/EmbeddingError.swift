import Foundation

/// Bad input to PCA, t-SNE or an embedding-quality measure: one line saying what was
/// wrong and what to do.
public struct EmbeddingError: Error, CustomStringConvertible, LocalizedError {
    public let description: String
    public init(_ description: String) { self.description = description }
    public var errorDescription: String? { description }
}
