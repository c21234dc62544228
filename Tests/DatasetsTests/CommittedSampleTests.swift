import Datasets
import Foundation
import TestSupport
import XCTest

/// The CIFAR-10 sample committed under `data/cifar10-sample/` (made by `PackSample`).
final class CommittedSampleTests: XCTestCase {
    /// `data/cifar10-sample`, found from this file so the test runs from any directory.
    static let folder = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("data/cifar10-sample")

    func testCountsBalanceAndInterleaving() throws {
        let train = try CIFAR10Binary.load(from: Self.folder, split: .train)
        let test = try CIFAR10Binary.load(from: Self.folder, split: .test)
        print("sample: \(train.count) train, \(test.count) test; train per class \(train.classCounts()), test per class \(test.classCounts())")
        XCTAssertEqual(train.count, 5_000)
        XCTAssertEqual(test.count, 2_000)
        XCTAssertEqual(train.classCounts(), Array(repeating: 500, count: 10))
        XCTAssertEqual(test.classCounts(), Array(repeating: 200, count: 10))
        XCTAssertEqual(train.classNames, CIFAR10Binary.classNames)
        XCTAssertEqual(train.labels, (0 ..< 5_000).map { $0 % 10 }, "class-interleaved records")
        XCTAssertEqual(test.labels, (0 ..< 2_000).map { $0 % 10 }, "class-interleaved records")
        // Interleaving makes "first K per class" a prefix.
        XCTAssertEqual(train.firstPerClass(100).pixels, Array(train.pixels.prefix(1_000 * 3_072)))
        let stats = train.channelStatistics()
        print("sample train mean \(stats.mean) std \(stats.std)")
        for c in 0 ..< 3 {
            XCTAssertEqual(stats.mean[c], [0.4914, 0.4822, 0.4465][c], accuracy: 0.02, "near CIFAR-10's mean")
            XCTAssertEqual(stats.std[c], [0.2470, 0.2435, 0.2616][c], accuracy: 0.02, "near CIFAR-10's std")
        }
    }

    /// The line a lesson prints when it falls back to the sample. The project is faked
    /// with a link to the sample, since a checkout may also hold the full data in data/.
    func testLocatorDescribesTheSample() throws {
        let tmp = try TemporaryFolder()
        try tmp.write("// swift-tools-version:6.0\n", to: "Package.swift")
        try FileManager.default.createDirectory(at: tmp.url.appendingPathComponent("data"), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(at: tmp.url.appendingPathComponent("data/cifar10-sample"),
                                                   withDestinationURL: Self.folder)
        let source = try DataLocator.locateCIFAR10(explicit: nil, projectRoot: tmp.url)
        print("locator: \(source)")
        XCTAssertEqual(source.description, "CIFAR-10 sample bundled with the project: 5,000 train / 2,000 test images (data/cifar10-sample); run with --download for the full set")
        XCTAssertEqual(try source.load(.test).summary, "CIFAR-10 test (data/cifar10-sample): 2,000 images, 10 classes")
    }

    func testFirstTestCatIsTestCat0000() throws {
        let test = try CIFAR10Binary.load(from: Self.folder, split: .test)
        let cat = try XCTUnwrap(test.firstIndicesPerClass(1).first { test.labels[$0] == 3 })
        XCTAssertEqual(cat, 3)
        let expected = try Fixture("augment_cat0000").tensor("image_uint8_hwc")
        assertClose(try test.image(at: cat).pixels.map(Float.init), expected.data, rtol: 0, atol: 1,
                    "sample's first test cat vs decoded test/cat/0000.jpg")
    }
}
