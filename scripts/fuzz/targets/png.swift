import Foundation
import Imaging

/// PNG decoding through libpng's simplified API (`PNG.decode`), as every figure reader and
/// image-folder data set uses it.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    if let image = try? PNG.decode(Data(fuzzInput(data, size))) {
        precondition(image.pixels.count == image.width * image.height * 3, "decoded PNG with a wrong pixel count")
    }
    return 0
}
