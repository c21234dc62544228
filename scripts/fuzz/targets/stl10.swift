import Datasets
import Foundation

/// The STL-10 binary loader (`STL10Dataset`): the first part of the input is `test_y.bin`,
/// the rest `test_X.bin` (27,648 bytes an image, so run with -max_len of at least 60000);
/// every image of a set that opens is decoded.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    Fuzz.reset()
    let (labels, images) = Fuzz.split(fuzzInput(data, size))
    Fuzz.write(ArraySlice(Array("airplane\nbird\ncar\ncat\ndeer\ndog\nhorse\nmonkey\nship\ntruck\n".utf8)), to: "class_names.txt")
    Fuzz.write(labels, to: "test_y.bin")
    Fuzz.write(images, to: "test_X.bin")
    if let set = try? STL10Dataset(folder: Fuzz.folder, split: .test) {
        for i in 0 ..< set.count { _ = try? set.image(at: i) }
    }
    return 0
}
