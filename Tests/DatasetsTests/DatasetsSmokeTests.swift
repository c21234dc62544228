import Datasets
import TestSupport
import XCTest

final class DatasetsSmokeTests: XCTestCase {
    func testFixturesFolderExists() {
        XCTAssertTrue(FileManager.default.fileExists(atPath: Fixture.folder.path))
    }
}
