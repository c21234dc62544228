import Foundation
import Imaging

/// JPEG decoding through the project's setjmp shim around libjpeg (`JPEG.decode`), as the
/// CIFAR-10 JPEG folders and Food-101 are read.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    if let image = try? JPEG.decode(Data(fuzzInput(data, size))) {
        precondition(image.pixels.count == image.width * image.height * 3, "decoded JPEG with a wrong pixel count")
    }
    return 0
}
