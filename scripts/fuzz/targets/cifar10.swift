import Datasets
import Foundation

/// The CIFAR-10 binary loader (`CIFAR10Binary.load`): the first part of the input is
/// `batches.meta.txt`, the rest `test_batch.bin`.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    Fuzz.reset()
    let (meta, batch) = Fuzz.split(fuzzInput(data, size))
    Fuzz.write(meta, to: "batches.meta.txt")
    Fuzz.write(batch, to: "test_batch.bin")
    if let set = try? CIFAR10Binary.load(from: Fuzz.folder, split: .test) {
        precondition(set.count == batch.count / 3073 && set.labels.allSatisfy { (0 ..< 10).contains($0) }, "bad CIFAR-10 load")
    }
    _ = try? CIFAR10Binary.recordCount(of: .test, in: Fuzz.folder)
    return 0
}
