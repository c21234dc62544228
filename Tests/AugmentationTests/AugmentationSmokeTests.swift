import Augmentation
import TestSupport
import XCTest

final class AugmentationSmokeTests: XCTestCase {
    func testFixturesFolderExists() {
        XCTAssertTrue(FileManager.default.fileExists(atPath: Fixture.folder.path))
    }
}
