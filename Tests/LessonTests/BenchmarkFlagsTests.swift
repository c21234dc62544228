import Foundation
import XCTest

/// The benchmark's flags refuse what cannot be measured with a one-line error that says what
/// to do, before anything runs.
final class BenchmarkFlagsTests: XCTestCase {
    private func run(_ arguments: [String]) throws -> (status: Int32, stderr: String) {
        let process = Process()
        process.executableURL = LessonRunner.productsFolder.appendingPathComponent("Benchmark")
        process.arguments = arguments
        process.currentDirectoryURL = LessonRunner.projectRoot
        let err = Pipe()
        process.standardError = err
        process.standardOutput = Pipe()
        try process.run()
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, stderr)
    }

    func testRecomputingWhatTheStepKeepsIsRefused() throws {
        let (status, stderr) = try run(["step", "--recompute", "stem", "--keep-block-outputs", "--no-python"])
        print("exit \(status): \(stderr.split(separator: "\n").first ?? "")")
        XCTAssertNotEqual(status, 0)
        XCTAssertTrue(stderr.hasPrefix("Error: --recompute stem drops outputs that --keep-block-outputs keeps; give one of the two"),
                      stderr)
    }

    func testAnUnknownRecomputationNamesTheChoices() throws {
        let (status, stderr) = try run(["step", "--recompute", "everything", "--no-python"])
        XCTAssertNotEqual(status, 0)
        XCTAssertTrue(stderr.contains("'none', 'stem' or 'stem-and-first-stage'"), stderr)
    }
}
