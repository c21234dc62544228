import Foundation
import XCTest

extension XCTestCase {
    /// A new empty folder under the system's temporary directory, removed when the test ends.
    ///
    /// - Parameter label: the start of the folder's name (`label-<UUID>`), to tell in a listing
    ///   of the temporary directory which test left it there, should a run be killed.
    public func temporaryFolder(_ label: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(label)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }
}
