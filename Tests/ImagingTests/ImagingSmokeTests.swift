import Imaging
import TestSupport
import XCTest

final class ImagingSmokeTests: XCTestCase {
    func testFixturesFolderExists() {
        XCTAssertTrue(FileManager.default.fileExists(atPath: Fixture.folder.path))
    }
}
