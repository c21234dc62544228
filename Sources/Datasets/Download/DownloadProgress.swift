import Foundation

/// How far a download has got, reported a few times a second (for a progress bar).
public struct DownloadProgress: Sendable, Equatable {
    /// Bytes of the file on disk so far, including a part kept from an earlier attempt.
    public var bytes: Int64
    /// The full size, when the server (or the caller) knows it.
    public var total: Int64?
    /// Average transfer rate of this attempt, in bytes per second.
    public var bytesPerSecond: Double
    /// Bytes that were already on disk when this attempt started (0 for a fresh download).
    public var resumedFrom: Int64

    public init(bytes: Int64, total: Int64?, bytesPerSecond: Double, resumedFrom: Int64) {
        self.bytes = bytes
        self.total = total
        self.bytesPerSecond = bytesPerSecond
        self.resumedFrom = resumedFrom
    }

    /// `bytes / total` in [0, 1], when the total is known.
    public var fraction: Double? {
        guard let total, total > 0 else { return nil }
        return min(1, Double(bytes) / Double(total))
    }
}
