import Foundation
import LessonKit
import SimCLR
import TestSupport
import XCTest

/// Lesson 6's retrieval and explorer page: the neighbours it shows are a brute-force cosine
/// search's, class names from a user's image folders are text everywhere, and a request for
/// more points than there are test images is refused in one line.
final class Lesson6ExplorerTests: XCTestCase {
    private var folder: URL!

    override func setUpWithError() throws {
        folder = try temporaryFolder("explorer")
    }

    /// The JSON payload of an explorer page.
    private struct Payload: Decodable {
        struct Map: Decodable {
            let name: String
            let neighbours: [[Int]]
        }

        let classNames: [String]
        let labels: [Int]
        let imageIndices: [Int]
        let maps: [Map]
        let defaultK: Int
    }

    private func payload(_ html: String) throws -> Payload {
        let start = try XCTUnwrap(html.range(of: "<script type=\"application/json\" id=\"data\">"))
        let end = try XCTUnwrap(html.range(of: "</script>", range: start.upperBound ..< html.endIndex))
        return try JSONDecoder().decode(Payload.self, from: Data(html[start.upperBound ..< end.lowerBound].utf8))
    }

    /// Cosine similarity in Double.
    private func cosine(_ a: ArraySlice<Float>, _ b: ArraySlice<Float>) -> Double {
        var dot = 0.0, na = 0.0, nb = 0.0
        for (x, y) in zip(a, b) { dot += Double(x) * Double(y); na += Double(x) * Double(x); nb += Double(y) * Double(y) }
        return dot / (na * nb).squareRoot()
    }

    func testNeighboursAreABruteForceCosineSearch() throws {
        let mapped = try LessonRunner.run("Lesson6-TSNE", ["--quick", "--data", LessonRunner.sampleData, "--no-long-run"],
                                          directory: folder)
        XCTAssertEqual(mapped.exitCode, 0, mapped.stderr)
        mapped.assertPageAndNotebookMatchReport()
        let report = try XCTUnwrap(mapped.report)
        let html = try String(contentsOf: mapped.figures.appendingPathComponent("lesson6-explorer.html"), encoding: .utf8)
        let page = try payload(html)
        XCTAssertEqual(page.maps.map(\.name), ["raw pixels", "random-init encoder"])
        XCTAssertTrue(try String(contentsOf: mapped.figures.appendingPathComponent("lesson6.html"), encoding: .utf8)
            .contains("href=\"lesson6-explorer.html\""))
        assertFigure(mapped.figures.appendingPathComponent("lesson6-neighbours.png"))

        // Raw pixels, searched by brute force among the mapped test images, as the page's lists are.
        let sample = try DataLocator.locateCIFAR10(explicit: LessonRunner.sampleData, projectRoot: LessonRunner.projectRoot)
        let (train, test) = try LessonData.load(sample)
        let pixels = page.imageIndices.map { i in test.rgbImage(at: i).pixels.map { Float($0) / 255 } }
        var compared = 0
        for p in 0 ..< 40 {
            var ranked: [(similarity: Double, position: Int)] = []
            for q in pixels.indices where q != p { ranked.append((cosine(pixels[p][...], pixels[q][...]), q)) }
            ranked.sort { $0.similarity > $1.similarity }
            let gaps = (0 ..< page.defaultK).map { ranked[$0].similarity - ranked[$0 + 1].similarity }
            guard gaps.allSatisfy({ $0 > 1e-6 }) else { continue }
            XCTAssertEqual(Array(page.maps[0].neighbours[p].prefix(page.defaultK)),
                           ranked.prefix(page.defaultK).map(\.position), "point \(p)")
            compared += 1
        }
        XCTAssertGreaterThan(compared, 30)
        // What the report says the page shows is what the page holds.
        let first = page.imageIndices[0]
        XCTAssertEqual(report.texts["explorer: the \(page.defaultK) nearest of image \(first) in raw pixels"],
                       page.maps[0].neighbours[0].prefix(page.defaultK).map { String(page.imageIndices[$0]) }
                           .joined(separator: ", "))
        // The retrieval value: the same-class share of 8 training neighbours by brute force.
        let gallery = train.firstPerClass(20)
        let galleryPixels = (0 ..< gallery.count).map { gallery.rgbImage(at: $0).pixels.map { Float($0) / 255 } }
        var same = 0
        for (p, pixels) in pixels.enumerated() {
            let nearest = galleryPixels.indices.map { (cosine(pixels[...], galleryPixels[$0][...]), $0) }
                .sorted { $0.0 > $1.0 }.prefix(8)
            same += nearest.filter { gallery.labels[$0.1] == page.labels[p] }.count
        }
        let share = try XCTUnwrap(report.values["raw pixels: share of the 8 nearest training images in the query's class"])
        XCTAssertEqual(share, 100 * Double(same) / Double(8 * pixels.count), accuracy: 0.5)
    }

    func testClassNamesFromImageFoldersAreTextOnEveryPage() throws {
        let names = ["<img src=x onerror=alert(1)>", "\"quoted\" & 'single'", "plain"]
        var generator = SeededGenerator(seed: 3)
        for split in ["train", "test"] {
            for (c, name) in names.enumerated() {
                let dir = folder.appendingPathComponent("data/\(split)/\(name)")
                try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
                for i in 0 ..< 54 {
                    let pixels = (0 ..< 32 * 32 * 3).map { k in UInt8(truncatingIfNeeded: (k * (c + 1) + Int(generator.integer(below: 60)) + i)) }
                    try JPEG.encode(RGBImage(width: 32, height: 32, pixels: pixels))
                        .write(to: dir.appendingPathComponent(String(format: "%04d.jpg", i)))
                }
            }
        }
        let run = try LessonRunner.run("Lesson6-TSNE", ["--quick", "--data", folder.appendingPathComponent("data").path,
                                                        "--no-long-run", "--explorer-points", "160"], directory: folder)
        XCTAssertEqual(run.exitCode, 0, run.stderr)
        for file in ["lesson6-explorer.html", "lesson6.html"] {
            let html = try String(contentsOf: run.figures.appendingPathComponent(file), encoding: .utf8)
            XCTAssertFalse(html.contains("<img src=x"), "\(file) carries a class name as markup")
            XCTAssertFalse(html.contains("onerror=alert(1)>"), file)
        }
        let explorer = try String(contentsOf: run.figures.appendingPathComponent("lesson6-explorer.html"), encoding: .utf8)
        XCTAssertEqual(try payload(explorer).classNames.sorted(), names.sorted(), "the names reach the page's script intact")
        // The lesson page shows them as text: escaped in its markup.
        let lessonPage = try String(contentsOf: run.figures.appendingPathComponent("lesson6.html"), encoding: .utf8)
        XCTAssertTrue(lessonPage.contains("&lt;img src=x onerror=alert(1)&gt;"))
        XCTAssertTrue(lessonPage.contains("&quot;quoted&quot; &amp; &#39;single&#39;"))
    }

    func testMorePointsThanTestImagesIsRefusedInOneLine() throws {
        let run = try LessonRunner.run("Lesson6-TSNE", ["--quick", "--data", LessonRunner.sampleData, "--no-long-run",
                                                        "--explorer-points", "999999"], directory: folder)
        XCTAssertNotEqual(run.exitCode, 0)
        let message = run.stderr.trimmingCharacters(in: .whitespacesAndNewlines)
        XCTAssertTrue(message.contains("--explorer-points 999999: the test set has 2,000 images"), message)
        XCTAssertEqual(message.split(separator: "\n").count, 1, message)
    }
}
