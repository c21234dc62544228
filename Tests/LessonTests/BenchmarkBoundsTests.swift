import Foundation
import XCTest

/// `Benchmark bounds` on a tiny step: the table it prints covers every operation of the
/// network and every ratio is a number. Nothing here asserts a timing (the numbers are
/// measurements of a debug run on a shared machine); what is checked is that the tool a
/// reader uses to see where the step's time goes accounts for the whole step.
final class BenchmarkBoundsTests: XCTestCase {
    /// With the library's choice of recomputed convolutions at 2 images (none) and with the
    /// stem's and the first stage's forced.
    func testBoundsCoverEveryOperationOfTheStep() throws {
        for recompute in [nil, "stem-and-first-stage"] {
            try assertBoundsCoverTheStep(recompute: recompute)
        }
    }

    private func assertBoundsCoverTheStep(recompute: String?) throws {
        let process = Process()
        process.executableURL = LessonRunner.productsFolder.appendingPathComponent("Benchmark")
        process.arguments = ["bounds", "--images", "2", "--repeats", "1"] + (recompute.map { ["--recompute", $0] } ?? [])
        process.currentDirectoryURL = LessonRunner.projectRoot
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let stdout = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0, stdout)
        // The inventory's forward convolutions add up to the network's multiply-adds.
        XCTAssertFalse(stdout.contains("warning:"), stdout)
        XCTAssertTrue(stdout.contains("convolutions recomputed in backward: \(recompute ?? "none")"), stdout)

        let lines = stdout.split(separator: "\n").map(String.init)
        let rows = ["stem conv1", "layer1 3x3", "layer2.0.conv1", "layer2.0.downsample", "layer2 3x3",
                    "layer3.0.conv1", "layer3.0.downsample", "layer3 3x3", "layer4.0.conv1", "layer4.0.downsample",
                    "layer4 3x3", "layer1 joins", "layer2 joins", "layer3 joins", "layer4 joins"]
        for row in rows {
            let line = try XCTUnwrap(lines.first { $0.hasPrefix("  \(row) ") }, "no row '\(row)' in:\n\(stdout)")
            // Every ratio cell reads like "1.93x F" or "2.8x M": a finite positive number and its wall.
            // The joins and the stem's norm have an output rebuilt in backward as well, and with
            // the first stage forced, the stem's convolution and layer1's are computed again.
            let ratios = line.matches(of: /(\d+(?:\.\d+)?)x ([FM]+)/).map { Double($0.1)! }
            let recomputed = (row == "stem conv1" || row == "layer1 3x3") && recompute != nil ? 1 : 0
            let expected = row.hasSuffix("joins") ? 3 : 5 + recomputed
            XCTAssertEqual(ratios.count, expected, "ratios in '\(line)'")
            XCTAssertTrue(ratios.allSatisfy { $0.isFinite && $0 > 0 }, line)
        }
        for part in ["convolutions", "batch norm", "residual joins", "outputs rebuilt in backward", "whole step"] {
            XCTAssertTrue(lines.contains { $0.hasPrefix("  \(part) ") }, "no summary line '\(part)'")
        }
        XCTAssertTrue(stdout.contains("With every listed operation at its bound"), stdout)
    }
}
