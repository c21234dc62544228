import NPYFormat
import Foundation

/// The NPY reader (`NPY.readFloats`, `NPY.readIntegers`): magic, version, header
/// dictionary, shape and payload all come from the input.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    Fuzz.reset()
    let url = Fuzz.write(ArraySlice(fuzzInput(data, size)), to: "array.npy")
    if let (values, shape) = try? NPY.readFloats(url) {
        precondition(values.count == shape.reduce(1, *), "NPY floats with a wrong element count")
    }
    if let (values, shape) = try? NPY.readIntegers(url) {
        precondition(values.count == shape.reduce(1, *), "NPY integers with a wrong element count")
    }
    return 0
}
