import Datasets
import Foundation

/// The Food-101 meta lists (`Food101Dataset`): the first part of the input is
/// `meta/classes.txt`, the rest `meta/train.txt`; the first listed image is then opened
/// (it does not exist, which must be a clean error).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    Fuzz.reset()
    let (classes, list) = Fuzz.split(fuzzInput(data, size))
    Fuzz.write(classes, to: "meta/classes.txt")
    Fuzz.write(list, to: "meta/train.txt")
    if let set = try? Food101Dataset(folder: Fuzz.folder, split: .train), set.count > 0 {
        precondition(set.labels.allSatisfy { (0 ..< set.classNames.count).contains($0) }, "label outside the classes")
        _ = try? set.image(at: 0)
    }
    return 0
}
