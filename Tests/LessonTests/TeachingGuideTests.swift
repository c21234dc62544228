import Foundation
import XCTest

/// Every command in the teacher's guide parses with the lessons' own flags, and every exercise
/// the guide quotes an outcome for is one that scripts/teaching/run_exercises.sh runs, so the
/// guide cannot drift from the code it describes.
final class TeachingGuideTests: XCTestCase {
    private let guide = LessonRunner.projectRoot.appendingPathComponent("docs/teaching.md")
    private let script = LessonRunner.projectRoot.appendingPathComponent("scripts/teaching/run_exercises.sh")

    /// `swift run LessonN-... flags` commands in the guide's code blocks, as (lesson, arguments).
    private func guideCommands() throws -> [(lesson: String, arguments: [String])] {
        let text = try String(contentsOf: guide, encoding: .utf8)
        var inCode = false
        var commands: [(String, [String])] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.trimmingCharacters(in: .whitespaces).hasPrefix("```") { inCode.toggle(); continue }
            guard inCode, let range = line.range(of: "swift run ") else { continue }
            let words = line[range.upperBound...].split(separator: "#")[0].split(separator: " ").map(String.init)
            guard let lesson = words.first, lesson.hasPrefix("Lesson") || lesson == "Walkthrough" else { continue }
            commands.append((lesson, Array(words.dropFirst())))
        }
        return commands
    }

    func testEveryGuideCommandParses() throws {
        let commands = try guideCommands()
        XCTAssertGreaterThanOrEqual(commands.count, 12, "the guide's commands were not found")
        for (lesson, arguments) in commands where lesson != "Walkthrough" {
            let run = try LessonRunner.run(lesson, arguments + ["--parse-only"])
            XCTAssertEqual(run.exitCode, 0, "\(lesson) \(arguments.joined(separator: " ")): \(run.stderr)")
            XCTAssertTrue(run.stdout.contains("flags accepted"), "\(lesson) \(arguments.joined(separator: " "))")
        }
    }

    func testAMistypedFlagIsCaught() throws {
        let run = try LessonRunner.run("Lesson4-Training", ["--temprature", "0.1", "--parse-only"])
        XCTAssertNotEqual(run.exitCode, 0, "a misspelt flag must fail the parse")
    }

    func testEveryExerciseOfTheScriptIsInTheGuide() throws {
        let guideText = try String(contentsOf: guide, encoding: .utf8)
        let scriptText = try String(contentsOf: script, encoding: .utf8)
        let exercises = scriptText.split(separator: "\n").filter { $0.hasPrefix("run ") }
        XCTAssertGreaterThanOrEqual(exercises.count, 8)
        for line in exercises {
            // "run NAME Lesson… flags" is quoted in the guide as "swift run Lesson… flags".
            let words = line.split(separator: " ").dropFirst(2).joined(separator: " ")
            XCTAssertTrue(guideText.contains("swift run " + words), "the guide lacks the exercise: swift run \(words)")
        }
    }
}
