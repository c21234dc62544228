import Foundation
import LessonKit
import XCTest

/// "With `--seed 0` the lessons print the same numbers on every machine" (README): a teacher's
/// eight-core laptop must print the numbers of the record made on two cores.
///
/// The core count is the part of a machine that can reorder a floating-point sum: a kernel that
/// split its sums by core would give every machine its own last bits, and training turns those
/// into different losses and accuracies within a few steps. So Lesson 4's quick run, which
/// trains twelve encoders, must print the same numbers on 1, 2 and 3 threads, timings aside.
final class ThreadCountTests: XCTestCase {
    /// Values that are timings, and so differ between any two runs.
    static let timings: Set<String> = ["throughput", "training time",
                                       "estimated minutes per epoch of the card's setup on this machine"]

    func testLesson4PrintsTheSameNumbersOnOneTwoAndThreeThreads() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("threads-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        var reports: [Int: ReportFile] = [:]
        for threads in [1, 2, 3] {
            let run = try LessonRunner.run("Lesson4-Training", [
                "--quick", "--seed", "0", "--threads", "\(threads)", "--data", LessonRunner.sampleData,
                "--checkpoint", folder.appendingPathComponent("ckpt-\(threads).safetensors").path,
            ])
            XCTAssertEqual(run.exitCode, 0, run.stderr)
            reports[threads] = try XCTUnwrap(run.report)
        }
        let base = try XCTUnwrap(reports[2])
        let compared = base.values.keys.filter { !Self.timings.contains($0) }.sorted()
        // The run's own numbers (losses, kNN, cosines, the short runs' table) must be among them.
        for name in ["final loss", "first epoch loss", "kNN accuracy after 2 epochs", "the same views after one update"] {
            XCTAssertTrue(compared.contains(name), "no value '\(name)' to compare")
        }
        for threads in [1, 3] {
            let other = try XCTUnwrap(reports[threads])
            let differing = compared.filter { other.values[$0] != base.values[$0] }
            XCTAssertEqual(differing, [], "values that differ on \(threads) threads from 2: "
                           + differing.map { "\($0) \(other.values[$0] ?? .nan) against \(base.values[$0]!)" }.joined(separator: "; "))
            XCTAssertEqual(other.checks, base.checks, "checks: \(threads) threads against 2")
            XCTAssertEqual(other.tables.map(\.rows), base.tables.map(\.rows), "tables: \(threads) threads against 2")
            XCTAssertEqual(other.texts, base.texts, "texts: \(threads) threads against 2")
            if differing.isEmpty && other.checks == base.checks && other.tables.map(\.rows) == base.tables.map(\.rows) {
                print("OK     Lesson 4 --quick --seed 0: \(threads == 1 ? "1 thread prints" : "\(threads) threads print") "
                      + "the 2-thread run's \(compared.count) values, \(base.checks.count) checks and \(base.tables.count) "
                      + "tables (final loss \(base.values["final loss"]!))")
            }
        }
    }
}
