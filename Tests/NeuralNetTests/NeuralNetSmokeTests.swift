import NeuralNet
import TestSupport
import XCTest

final class NeuralNetSmokeTests: XCTestCase {
    func testFixturesFolderExists() {
        XCTAssertTrue(FileManager.default.fileExists(atPath: Fixture.folder.path))
    }
}
