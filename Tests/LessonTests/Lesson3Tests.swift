import Foundation
import SimCLR
import TestSupport
import XCTest

final class Lesson3Tests: XCTestCase {
    static let lesson = "Lesson3-Augmentation"

    func testQuickRunChecksTheDocumentsNumbers() throws {
        let run = try LessonRunner.run(Self.lesson, ["--quick", "--data", LessonRunner.sampleData])
        XCTAssertEqual(run.exitCode, 0)
        run.assertPageAndNotebookMatchReport()
        let report = try XCTUnwrap(run.report)
        let differing = report.checks.filter { $0.verdict == "differs" }.map(\.name)
        XCTAssertTrue(differing.isEmpty, "document numbers differ unexpectedly: \(differing)")

        // The cat standing in for the card's example is the first test cat: record 3 of the
        // class-interleaved sample.
        XCTAssertTrue(report.texts["a cat, like the card's example (the card shows no image)"]?.hasPrefix("test image #3,") ?? false,
                      report.texts["a cat, like the card's example (the card shows no image)"] ?? "missing")
        XCTAssertEqual(run.check("view shape (channels x height x width)")?.verdict, "agrees")

        // The write-up's "removing color jitter or Gaussian blur hurts performance meaningfully", measured by short trainings: three seeds of the full
        // pipeline give a spread (seeds differ, so it is not 0) and each stage left out is judged
        // against it; the verdict logic itself is tested in LeaveOneOutTests.
        // The quick run asks 100 test images (10 per class), so every accuracy is a whole number
        // of percent: a property that miscounted queries or votes would break.
        XCTAssertGreaterThan(try XCTUnwrap(report.values["their spread (max - min): the noise"]), 0)
        for stage in ["colour jitter", "Gaussian blur"] {
            let without = try XCTUnwrap(report.values["kNN accuracy without \(stage) (seed 0)"], stage)  // --seed 0
            XCTAssertEqual(without, without.rounded(), accuracy: 1e-9, "\(stage): \(without) is not a whole percent of 100")
            XCTAssertNotNil(run.check("removing \(stage): kNN lower than the full pipeline beyond the noise"), stage)
        }

        // Blur kernel = int(0.1 x size) made odd: the write-up states the rule and image_size 256, so
        // 25 is the rule's result (a check of our code); at 32 and 96 px the rule is applied (values,
        // not attributed to any document; torchvision's kernels for these sizes are also in
        // Tests/Fixtures/gaussian_kernels.json).
        XCTAssertEqual(run.check("blur kernel by the write-up's rule at its image_size 256 (25 by our arithmetic)")?.oursValue, 25)
        XCTAssertEqual(report.values["blur kernel at 32 px (CIFAR-10) by the write-up's rule"], 3)
        XCTAssertEqual(report.values["blur kernel at 96 px (STL-10) by the write-up's rule"], 9)
        XCTAssertFalse(report.checks.contains { $0.name.hasPrefix("blur kernel at 32") || $0.name.hasPrefix("blur kernel at 96") })

        // Probabilities measured over 10,000 draws. The lesson allows 4.5 binomial standard errors
        // (1.8 points at p 0.8, 2.25 at p 0.5); with seed 0 every one lies within 1.5 points.
        for (name, probability) in [("horizontal flip, how often", 50.0), ("colour jitter, how often (p 0.8)", 80),
                                    ("grayscale, how often (p 0.2)", 20), ("blur, how often (classroom pipeline)", 50),
                                    ("blur, how often (write-up pipeline)", 100)] {
            let c = run.check(name)
            XCTAssertEqual(c?.verdict, "agrees", name)
            XCTAssertEqual(c?.documentValue, probability, name)
            let measured = try XCTUnwrap(c?.oursValue, name)
            XCTAssertLessThanOrEqual(abs(measured - probability), 1.5, name)
            print("frequency \(name): \(measured) % vs \(probability) %")
        }

        // Ranges: crop area and aspect, jitter factors, blur sigma, orders.
        for name in ["crop area fraction, smallest drawn", "crop area fraction, largest drawn",
                     "crop aspect w/h, smallest drawn", "crop aspect w/h, largest drawn", "crops drawn inside both ranges",
                     "ColorJitter strengths (b, c, s, h): half the range of the factors drawn", "brightness factors drawn", "contrast factors drawn",
                     "saturation factors drawn", "hue shifts drawn", "orders of the four adjustments seen",
                     "blur sigmas drawn", "mean, write-up (ImageNet)", "std, write-up (ImageNet)",
                     "mean, CIFAR-10 training set (the usual constants)", "std, CIFAR-10 training set (the usual constants)",
                     "view shape at the write-up's size"] {
            XCTAssertEqual(run.check(name)?.verdict, "agrees", name)
        }
        let smallest = try XCTUnwrap(run.check("crop area fraction, smallest drawn")?.oursValue)
        XCTAssertTrue(smallest >= 0.08 && smallest < 0.085, "smallest area fraction \(smallest)")

        // The same draws through both paths, and step by step vs all at once, give the same pixels.
        for name in ["largest difference, reference vs optimized path (same draws)",
                     "largest difference, one transform at a time vs the optimized pipeline"] {
            let d = try XCTUnwrap(report.values[name], name)
            XCTAssertLessThanOrEqual(d, 1e-5, name)
            print("\(name): \(d)")
        }

        // The ablation's point: colour distortion defeats the colour-histogram shortcut.
        let cropOnly = try XCTUnwrap(report.values["paired by colour histogram, crop only"])
        let cropColour = try XCTUnwrap(report.values["paired by colour histogram, crop + colour"])
        let chance = try XCTUnwrap(report.values["chance"])
        print("colour-histogram pairing: crop only \(cropOnly) %, crop + colour \(cropColour) %, chance \(chance) %")
        XCTAssertGreaterThan(cropOnly, 2 * cropColour)
        XCTAssertGreaterThan(cropColour, chance)
        // The card's split (crop + flip for one view, colour + blur for the other) leaves the
        // shortcut several times easier than SimCLR's full pipeline on both views: measured
        // 17.0 % against 4.5 % on these 200 images with seed 0 (19.0 / 4.2 on 500).
        let split = try XCTUnwrap(report.values["paired by colour histogram, the card's split views"])
        let full = try XCTUnwrap(report.values["paired by colour histogram, full"])
        XCTAssertGreaterThan(split, 2 * full)

        // Throughput is printed for both paths; its numbers are never asserted on (timings live in
        // the benchmark).
        for name in ["reference path", "optimized path", "optimized / reference"] {
            XCTAssertNotNil(report.values[name], name)
        }

        XCTAssertEqual(report.figures.sorted(),
                       ["lesson3-ablation.png", "lesson3-grid.png", "lesson3-steps.png", "lesson3-views.png"])
        for name in report.figures { assertFigure(run.figures.appendingPathComponent(name)) }
    }

    /// The printed draws of the card's two views: the `view 1:` / `view 2:` lines and the
    /// per-stage lines under them.
    func printedViews(_ run: LessonRun) -> [String] {
        let lines = run.stdout.split(separator: "\n").map(String.init)
        guard let start = lines.firstIndex(where: { $0.hasPrefix("Step 2 ") }),
              let end = lines[start...].firstIndex(where: { $0.hasPrefix("Step 3 ") }) else { return [] }
        let stages = ["crop ", "flip ", "jitter ", "grayscale ", "blur "]
        return lines[start ..< end].filter { line in
            let t = line.trimmingCharacters(in: .whitespaces)
            return t.hasPrefix("view 1:") || t.hasPrefix("view 2:") || stages.contains { t.hasPrefix($0) }
        }
    }

    func testSameSeedGivesSameViewsAndAnotherSeedOthers() throws {
        let arguments = ["--quick", "--data", LessonRunner.sampleData]
        let first = try LessonRunner.run(Self.lesson, arguments + ["--seed", "7"])
        let again = try LessonRunner.run(Self.lesson, arguments + ["--seed", "7"])
        let other = try LessonRunner.run(Self.lesson, arguments + ["--seed", "8"])
        for run in [first, again, other] { XCTAssertEqual(run.exitCode, 0) }
        let views = printedViews(first)
        XCTAssertEqual(views.count, 12, "two summary lines and five stage lines per view: \(views)")
        XCTAssertEqual(views, printedViews(again), "the same seed printed different views")
        XCTAssertNotEqual(views, printedViews(other), "seeds 7 and 8 printed the same views")
        XCTAssertEqual(first.report?.texts["view 1"], again.report?.texts["view 1"])
        XCTAssertNotEqual(first.report?.texts["view 1"], other.report?.texts["view 1"])
        print("seed 7: \(first.report?.texts["view 1"] ?? "?")\nseed 8: \(other.report?.texts["view 1"] ?? "?")")
    }

    func testMissingDataFolderIsOneLineError() throws {
        let run = try LessonRunner.run(Self.lesson, ["--quick", "--data", "/nonexistent/cifar"])
        XCTAssertNotEqual(run.exitCode, 0)
        let message = run.stderr.trimmingCharacters(in: .whitespacesAndNewlines)
        XCTAssertTrue(message.contains("/nonexistent/cifar") && message.contains("does not exist"), message)
        XCTAssertEqual(message.split(separator: "\n").count, 1, "one line, got: \(message)")
    }

    /// Run from a folder outside any project, the lesson cannot find `data/chelsea.png`
    /// and must say so in one line (after finding the CIFAR-10 data given by --data).
    func testMissingPhotoIsOneLineError() throws {
        let folder = try temporaryFolder("lesson3-nophoto")
        // The temporary folder must not lie inside a Swift package, or the lesson would find
        // that package's data/ (a precondition of the test, not a result).
        XCTAssertEqual(DataLocator.projectRoot(from: folder).path, folder.standardizedFileURL.path,
                       "\(folder.path) lies inside a Swift package; set TMPDIR to a folder outside any project")
        let process = Process()
        process.executableURL = LessonRunner.productsFolder.appendingPathComponent(Self.lesson)
        process.arguments = ["--quick", "--data", LessonRunner.sampleData, "--figures", folder.path]
        process.currentDirectoryURL = folder
        let err = Pipe()
        process.standardError = err
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let data = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let message = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        print("exit \(process.terminationStatus): \(message)")
        XCTAssertNotEqual(process.terminationStatus, 0)
        XCTAssertTrue(message.contains("data/chelsea.png") && message.contains("photo not found"), message)
        XCTAssertEqual(message.split(separator: "\n").count, 1, "one line, got: \(message)")
    }
}
