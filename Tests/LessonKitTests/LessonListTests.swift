import Foundation
import LessonKit
import XCTest

/// The lesson list exists twice only because a manifest cannot import code: the walkthrough's
/// list (LessonIndex.lessons) and Package.swift's executables are the same, in the same order.
final class LessonListTests: XCTestCase {
    func testPackageDeclaresTheWalkthroughsLessons() throws {
        var root = URL(fileURLWithPath: #filePath)
        while !FileManager.default.fileExists(atPath: root.appendingPathComponent("Package.swift").path) {
            root.deleteLastPathComponent()
        }
        let manifest = try String(contentsOf: root.appendingPathComponent("Package.swift"), encoding: .utf8)
        let start = try XCTUnwrap(manifest.range(of: "let lessons = ["))
        let end = try XCTUnwrap(manifest.range(of: "]", range: start.upperBound ..< manifest.endIndex))
        let declared = manifest[start.upperBound ..< end.lowerBound].split(separator: ",")
            .map { $0.trimmingCharacters(in: .whitespacesAndNewlines).trimmingCharacters(in: CharacterSet(charactersIn: "\"")) }
            .filter { !$0.isEmpty }
        XCTAssertEqual(declared, LessonIndex.lessons)
    }
}
