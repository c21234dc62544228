import Foundation
import SimCLR

/// Opening a checkpoint as Lessons 5 and 6 do (`Checkpoint.loadModel`: metadata, the model
/// it describes, every tensor against its shape) and a shipped supervised network
/// (`SupervisedBaseline.load`). The input is a safetensors file; to reach past the header
/// checks quickly, seed the corpus with real checkpoints of small models.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    Fuzz.reset()
    let url = Fuzz.write(ArraySlice(fuzzInput(data, size)), to: "checkpoint.safetensors")
    _ = try? Checkpoint.loadModel(url)
    _ = try? Checkpoint.origin(url)
    _ = try? SupervisedBaseline.load(url)
    return 0
}
