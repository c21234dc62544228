import Foundation
import XCTest

/// The library's contracts stop the program with their message in every build, although
/// the numeric modules are compiled -Ounchecked (which drops `precondition`). Each case
/// runs `ContractProbe`, which breaks one contract on purpose.
final class ContractTests: XCTestCase {
    private func probe(_ name: String) throws -> (status: Int32, stdout: String, stderr: String) {
        let process = Process()
        process.executableURL = LessonRunner.productsFolder.appendingPathComponent("ContractProbe")
        process.arguments = [name]
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        // The crash handler's backtrace is not what is being tested; keep stderr short.
        process.environment = ProcessInfo.processInfo.environment.merging(["SWIFT_BACKTRACE": "enable=no"]) { $1 }
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile(), stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: stdout, as: UTF8.self), String(decoding: stderr, as: UTF8.self))
    }

    func testBrokenContractsStopWithTheirMessage() throws {
        for (name, message) in [("conv-channels", "Conv2d"), ("image-pixels", "RGBImage"),
                                ("crop-outside", "resizedCrop: box"), ("tensor-count", "Tensor")] {
            let run = try probe(name)
            XCTAssertNotEqual(run.status, 0, name)
            XCTAssertFalse(run.stdout.contains("no contract stopped the program"), "\(name) went on: \(run.stdout)")
            XCTAssertTrue(run.stderr.contains(message), "\(name): \(run.stderr.prefix(400))")
            print("contract \(name): \(run.stderr.split(separator: "\n").first ?? "")")
        }
    }

    func testTheProbeRunsWhenNoContractIsBroken() throws {
        let run = try probe("none")
        XCTAssertEqual(run.status, 0)
        XCTAssertTrue(run.stdout.contains("no contract stopped the program"))
    }
}
