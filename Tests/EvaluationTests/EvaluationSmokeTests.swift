import Evaluation
import TestSupport
import XCTest

final class EvaluationSmokeTests: XCTestCase {
    func testFixturesFolderExists() {
        XCTAssertTrue(FileManager.default.fileExists(atPath: Fixture.folder.path))
    }
}
