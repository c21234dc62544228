import Foundation
import LessonKit
import SimCLR

/// What the explorer page suggests a student try, with examples found in this run's data.
enum ExplorerGuide {
    /// An image whose neighbours tell the story: among `wrongClass` by raw pixels, among its own
    /// class in the learned representation.
    struct Example {
        let imageIndex: Int
        let pixelWrong: Int
        let learnedRight: Int
        let learned: String
    }

    /// The image of class `own` that raw pixels put most among `wrongClass` and the learned
    /// representation most among its own class (nil when the classes or the maps are missing).
    /// - Parameters:
    ///   - pixels: each mapped image's nearest neighbours by raw pixels (positions).
    ///   - learned: the same in the learned representation, and its name.
    static func example(own: String, wrongClass: String, classNames: [String], labels: [Int], imageIndices: [Int],
                        pixels: [[Int]], learned: (name: String, neighbours: [[Int]]), k: Int) -> Example? {
        guard let c = classNames.firstIndex(of: own), let w = classNames.firstIndex(of: wrongClass) else { return nil }
        var best: Example?
        for i in labels.indices where labels[i] == c {
            let wrong = pixels[i].prefix(k).filter { labels[$0] == w }.count
            let right = learned.neighbours[i].prefix(k).filter { labels[$0] == c }.count
            guard wrong >= 2, right > wrong else { continue }
            if best.map({ wrong + right > $0.pixelWrong + $0.learnedRight }) ?? true {
                best = Example(imageIndex: imageIndices[i], pixelWrong: wrong, learnedRight: right,
                               learned: learned.name)
            }
        }
        return best
    }

    /// How to use the page (one paragraph above the maps).
    static let introduction = "The same test images placed by each representation: raw pixels, an untrained network, "
        + "and networks trained by SimCLR without a single label (colours are the classes, added afterwards). Hover "
        + "over a point to see its image; click it to select it in every map and see its nearest neighbours in each "
        + "representation's full features. Arrow keys move the selection; the menu picks out one class; the box finds "
        + "an image by its number."

    /// What to look for (the side panel, until an image is selected).
    static let lookFor = "Raw pixels call alike what has the same colours and background, so a cat can land among "
        + "frogs and a ship on blue water among airplanes in a blue sky. The SimCLR networks learned, from pairs of "
        + "augmented views alone, to ignore colour and position and keep what the picture shows."

    /// One suggestion per example found, saying what its neighbours show.
    static func suggestions(_ examples: [(own: String, wrong: String, example: Example?)], k: Int) -> [EmbeddingExplorer.Suggestion] {
        examples.compactMap { e in
            e.example.map { found in
                EmbeddingExplorer.Suggestion(text: sentence(found, own: e.own, wrong: e.wrong, k: k), imageIndex: found.imageIndex)
            }
        }
    }

    /// "Image 133, a cat: of its 10 nearest neighbours by raw pixels 2 are frogs; in SimCLR, long run, 3 are cats."
    static func sentence(_ found: Example, own: String, wrong: String, k: Int) -> String {
        "Image \(found.imageIndex), a \(own): of its \(k) nearest neighbours by raw pixels \(found.pixelWrong) are "
            + "\(wrong)s; in \(found.learned), \(found.learnedRight) are \(own)s."
    }
}
