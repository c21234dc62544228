import Foundation
import NeuralNet

/// The safetensors reader (`SafeTensors.read`): header length, JSON header, tensor table
/// and data offsets all come from the input.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    Fuzz.reset()
    let url = Fuzz.write(ArraySlice(fuzzInput(data, size)), to: "model.safetensors")
    if let (tensors, _) = try? SafeTensors.read(url) {
        for (_, t) in tensors { precondition(t.data.count == t.shape.reduce(1, *), "tensor with a wrong element count") }
    }
    return 0
}
