import Datasets
import Foundation
import XCTest

/// The search order --data, data/cifar-10-batches-bin, data/cifar10, data/cifar10-sample.
final class DataLocatorTests: XCTestCase {
    /// A fake project: Package.swift, a sample folder made of synthetic records, and a
    /// nested working directory.
    static func makeProject(_ tmp: TemporaryFolder) throws -> URL {
        try tmp.write("// swift-tools-version:6.0\n", to: "project/Package.swift")
        let records = try CIFAR10BinaryTests.makeFolder(tmp)
        try FileManager.default.createDirectory(at: tmp.url.appendingPathComponent("project/data"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: records, to: tmp.url.appendingPathComponent("project/data/cifar10-sample"))
        try FileManager.default.createDirectory(at: tmp.url.appendingPathComponent("project/Lessons/deep"), withIntermediateDirectories: true)
        return tmp.url.appendingPathComponent("project")
    }

    func testProjectRootIsFoundByWalkingUp() throws {
        let tmp = try TemporaryFolder()
        let project = try Self.makeProject(tmp)
        XCTAssertEqual(DataLocator.projectRoot(from: project.appendingPathComponent("Lessons/deep")).path, project.standardizedFileURL.path)
        let outside = tmp.url.appendingPathComponent("elsewhere")
        try FileManager.default.createDirectory(at: outside, withIntermediateDirectories: true)
        XCTAssertEqual(DataLocator.projectRoot(from: outside).path, outside.standardizedFileURL.path, "falls back to the directory")
    }

    func testOrderSampleThenJPEGThenBinary() throws {
        let tmp = try TemporaryFolder()
        let project = try Self.makeProject(tmp)
        let sample = try DataLocator.locateCIFAR10(explicit: nil, projectRoot: project)
        print("found: \(sample)")
        XCTAssertTrue(sample.isBundledSample)
        XCTAssertEqual(sample.description, "CIFAR-10 sample bundled with the project: 10 train / 4 test images (data/cifar10-sample); run with --download for the full set")
        XCTAssertEqual(try sample.load(.test).labels, [9, 0, 3, 3])

        // A JPEG/PNG tree in data/cifar10 takes precedence over the sample.
        for split in ["train", "test"] {
            try FileManager.default.createDirectory(at: project.appendingPathComponent("data/cifar10/\(split)"), withIntermediateDirectories: true)
            try FileManager.default.copyItem(at: try ImageFolderTests.makeTree(tmp),
                                             to: project.appendingPathComponent("data/cifar10/\(split)/"))
        }
        let jpeg = try DataLocator.locateCIFAR10(explicit: nil, projectRoot: project)
        print("found: \(jpeg)")
        XCTAssertEqual(jpeg.format, .imageFolder)
        XCTAssertEqual(jpeg.description, "CIFAR-10 JPEG folders: 7 train / 7 test images (data/cifar10)")
        XCTAssertEqual(try jpeg.load(.train).labels, [0, 0, 1, 1, 2, 2, 2])
        XCTAssertEqual(try jpeg.dataset(.test).identity.description, "CIFAR-10 test (data/cifar10/test)")

        // The full binary folder comes first of all.
        try FileManager.default.copyItem(at: project.appendingPathComponent("data/cifar10-sample"),
                                         to: project.appendingPathComponent("data/cifar-10-batches-bin"))
        let full = try DataLocator.locateCIFAR10(explicit: nil, projectRoot: project)
        print("found: \(full)")
        XCTAssertEqual(full.format, .binary)
        XCTAssertFalse(full.isBundledSample)
        XCTAssertEqual(full.displayPath, "data/cifar-10-batches-bin")
    }

    func testExplicitFolderWinsAndNeverFallsBack() throws {
        let tmp = try TemporaryFolder()
        let project = try Self.makeProject(tmp)
        let binary = tmp.url.appendingPathComponent("bin").path
        let explicit = try DataLocator.locateCIFAR10(explicit: binary, projectRoot: project)
        XCTAssertEqual(explicit.format, .binary)
        XCTAssertFalse(explicit.isBundledSample)
        XCTAssertEqual(explicit.description, "CIFAR-10 binary: 10 train / 4 test images (\(binary))")

        // A folder holding cifar-10-batches-bin/ (where the official archive extracts) is accepted.
        try FileManager.default.createDirectory(at: tmp.url.appendingPathComponent("download"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: tmp.url.appendingPathComponent("bin"),
                                         to: tmp.url.appendingPathComponent("download/cifar-10-batches-bin"))
        let parent = try DataLocator.locateCIFAR10(explicit: tmp.url.appendingPathComponent("download").path, projectRoot: project)
        XCTAssertEqual(parent.folder.lastPathComponent, "cifar-10-batches-bin")

        assertThrowsMessage(["/no/such/cifar", "--data folder does not exist"]) {
            _ = try DataLocator.locateCIFAR10(explicit: "/no/such/cifar", projectRoot: project)
        }
        assertThrowsMessage(["Lessons", "neither a CIFAR-10 binary folder", "image-folder root"]) {
            _ = try DataLocator.locateCIFAR10(explicit: project.appendingPathComponent("Lessons").path, projectRoot: project)
        }
    }

    func testNothingFoundSaysWhatToDo() throws {
        let tmp = try TemporaryFolder()
        assertThrowsMessage(["no CIFAR-10 found", "--download", "--data DIR"]) {
            _ = try DataLocator.locateCIFAR10(explicit: nil, projectRoot: tmp.url)
        }
    }
}
