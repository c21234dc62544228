import Core
import Datasets
import Foundation
import XCTest

final class InMemoryDatasetTests: XCTestCase {
    /// 12 images of 2x3 whose bytes are (image, position) patterns; labels cycle 2, 0, 1, 2, ...
    static func make() -> InMemoryDataset {
        let n = 12, size = 3 * 2 * 3
        let pixels = (0 ..< n * size).map { UInt8(($0 * 7 + $0 / size) % 256) }
        let labels = (0 ..< n).map { ($0 + 2) % 3 }
        return InMemoryDataset(identity: DatasetIdentity(name: "toy", location: "memory"),
                               classNames: ["a", "b", "c"], width: 3, height: 2, pixels: pixels, labels: labels)
    }

    func testSubsetFirstPerClassAndCounts() {
        let data = Self.make()
        XCTAssertEqual(data.classCounts(), [4, 4, 4])
        let sub = data.subset([5, 1, 5])
        XCTAssertEqual(sub.labels, [1, 0, 1])
        XCTAssertEqual(Array(sub.pixels[0 ..< 18]), Array(data.pixels[5 * 18 ..< 6 * 18]))
        XCTAssertEqual(Array(sub.pixels[36 ..< 54]), Array(data.pixels[5 * 18 ..< 6 * 18]))
        let first = data.firstPerClass(2)
        // Labels by index: 2 0 1 2 0 1 ...: the first two of each class are images 0-5.
        XCTAssertEqual(first.labels, [2, 0, 1, 2, 0, 1])
        XCTAssertEqual(first.pixels, Array(data.pixels[0 ..< 6 * 18]))
        XCTAssertEqual(first.identity.name, "toy, first 2 per class")
        XCTAssertEqual(data.firstPerClass(10).count, 12, "a class with fewer images gives all it has")
        print("subset/firstPerClass: labels \(first.labels), counts \(data.classCounts())")
    }

    func testPointerAccess() {
        let data = Self.make()
        let sum = data.withUnsafeBufferPointer { $0.reduce(0) { $0 + Int($1) } }
        XCTAssertEqual(sum, data.pixels.reduce(0) { $0 + Int($1) })
        let third = data.withUnsafeImageBuffer(at: 3) { Array($0) }
        XCTAssertEqual(third, try data.image(at: 3).pixels)
        XCTAssertEqual(third.count, data.imageByteCount)
    }

    func testChannelStatisticsMatchAPlainComputation() {
        let data = Self.make()
        var mean = [Double](repeating: 0, count: 3), square = [Double](repeating: 0, count: 3)
        for (i, v) in data.pixels.enumerated() {
            mean[i % 3] += Double(v) / 255
            square[i % 3] += Double(v) * Double(v) / (255 * 255)
        }
        let n = Double(data.pixels.count / 3)
        let expectedMean = mean.map { $0 / n }
        let expectedStd = (0 ..< 3).map { (square[$0] / n - expectedMean[$0] * expectedMean[$0]).squareRoot() }
        let saved = Parallel.threadCount
        defer { Parallel.threadCount = saved }
        for threads in [1, 2] {
            Parallel.threadCount = threads
            let stats = data.channelStatistics()
            print("channel statistics on \(threads) thread(s): mean \(stats.mean), std \(stats.std)")
            for c in 0 ..< 3 {
                XCTAssertEqual(stats.mean[c], expectedMean[c], accuracy: 1e-12)
                XCTAssertEqual(stats.std[c], expectedStd[c], accuracy: 1e-9)
            }
        }
    }
}
