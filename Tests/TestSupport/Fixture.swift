import Foundation

/// A named tensor from a PyTorch reference file: its shape and row-major values.
public struct FixtureTensor {
    public let shape: [Int]
    public let data: [Float]
}

/// One of the reference files in `Tests/Fixtures` (each made by a script in scripts/torch/fixtures/ or scripts/torch/):
/// named tensors `{"shape": [...], "data": [...]}`, plain arrays, and a `meta` object.
public struct Fixture {
    public let name: String
    private let object: [String: Any]

    /// The folder holding the fixture files, found relative to this source file so that
    /// tests pass from any working directory.
    public static let folder: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures")

    /// Loads `Tests/Fixtures/<name>.json`.
    public init(_ name: String) throws {
        self.name = name
        let url = Fixture.folder.appendingPathComponent("\(name).json")
        let data = try Data(contentsOf: url)
        guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw FixtureError("\(name).json is not a JSON object")
        }
        self.object = object
    }

    /// The tensor called `key`.
    public func tensor(_ key: String) throws -> FixtureTensor {
        guard let entry = object[key] as? [String: Any],
              let shape = entry["shape"] as? [Int],
              let values = entry["data"] as? [Any] else {
            throw FixtureError("\(name).json has no tensor '\(key)'")
        }
        let floats = values.map { Float(($0 as? NSNumber)?.doubleValue ?? .nan) }
        guard floats.count == shape.reduce(1, *) else {
            throw FixtureError("\(name).json '\(key)': \(floats.count) values for shape \(shape)")
        }
        return FixtureTensor(shape: shape, data: floats)
    }

    /// A plain list of numbers called `key` (e.g. the Gaussian kernels).
    public func numbers(_ key: String) throws -> [Double] {
        guard let values = object[key] as? [Any] else {
            throw FixtureError("\(name).json has no list '\(key)'")
        }
        return values.map { ($0 as? NSNumber)?.doubleValue ?? .nan }
    }

    /// Any top-level value (e.g. a dictionary such as `kernel_size_rule`).
    public func value(_ key: String) -> Any? { object[key] }

    /// A value from the `meta` object.
    public func meta(_ key: String) -> Any? { (object["meta"] as? [String: Any])?[key] }

    /// All top-level keys, for tests that walk every tensor in a file.
    public var keys: [String] { Array(object.keys).sorted() }
}

public struct FixtureError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
