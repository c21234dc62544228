import Foundation
@testable import Datasets

/// What the downloader reads from a server before any file byte: the status and the
/// `Content-Range` header of a resumed transfer (`HTTPTransfer.parseContentRange`).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let text = String(decoding: fuzzInput(data, size), as: UTF8.self)
    if let range = HTTPTransfer.parseContentRange(text) {
        precondition(text.contains("bytes"), "accepted a range without its unit")
        _ = range.size.map { $0 - range.first }
    }
    return 0
}
