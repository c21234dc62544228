import Foundation
import LessonKit
import SimCLR

/// Whether the maps cluster by class, measured.
enum Separation {
    /// The maps side by side in numbers: each against its input, then per class.
    static func tables(_ report: Report, representations: [Representation], maps: [EmbeddedMap], classNames: [String]) {
        func percent(_ v: Double) -> String { String(format: "%.1f %%", 100 * v) }
        let chance = percent(1 / Double(classNames.count))
        report.say("""
            Each map against its input: 5-NN accuracy in the full features and in the 2-D map, \
            trustworthiness and the final KL.
            """)
        report.table([.left(""), .right("5-NN, features"), .right("5-NN, 2-D map"), .right("trustworthiness"), .right("final KL")],
                     zip(representations, maps).map { rep, map in
                         [rep.name, percent(rep.featureAccuracy), percent(map.mapAccuracy),
                          String(format: "%.3f", map.trustworthiness), String(format: "%.3f", map.result.finalKL)]
                     } + [["chance", chance, chance, "", ""]])

        report.say("")
        report.say("Per class, 5-NN accuracy in the 2-D map:")
        let shortNames = ["raw pixels": "pixels", "random-init encoder": "random", "SimCLR encoder": "SimCLR",
                          Representation.longRunName: "long run"]
        report.table([.left("")] + maps.map { .right(shortNames[$0.name] ?? $0.name) },
                     classNames.enumerated().map { c, name in
                         [name] + maps.map { String(format: "%.0f %%", 100 * $0.classAccuracy[c]) }
                     })
        report.say("")
    }

    /// What the maps say about SimCLR: without a learned map, what pixels and the untrained
    /// network group by; with one, how far Lesson 4's kNN monitor came and how far the card's
    /// encoder (as we infer it) is from a lesson's.
    static func conclude(_ report: Report, maps: [EmbeddedMap], classNames: [String], trained: LessonCheckpoint?) {
        let pixels = maps[0], random = maps[1]
        guard maps.count > 2 else {
            let pixelClasses = ranked(pixels.classAccuracy, classNames).prefix(3).joined(separator: ", ")
            report.say(String(format: "Without a checkpoint: raw pixels %.1f %%, random-init encoder %.1f %% in the map.",
                              100 * pixels.mapAccuracy, 100 * random.mapAccuracy))
            report.say("""
                Both group images that look alike — colour, brightness, background — so the classes with \
                typical backgrounds stand out (raw pixels: \(pixelClasses)). The SimCLR map is the one \
                to compare with: train an encoder in Lesson 4.
                """)
            return
        }
        if let progress = trained?.progress {
            let knn = progress.records.compactMap { r in r.knnTop1.map { (r.epoch, $0) } }
            if let first = knn.first, let last = knn.last, knn.count > 1 {
                report.say(String(format: "Lesson 4's kNN monitor went from %.1f %% after epoch %d to %.1f %% after epoch %d.",
                                  100 * first.1, first.0, 100 * last.1, last.0))
            }
            let width = trained?.model.architecture.encoder.width ?? 0
            report.say("""
                The card does not say how long the encoder behind its 78.6 % linear probe trained; its training \
                table runs 200 epochs (26 hours), and its h of 512 means a ResNet-18 of width 64. Our inference is \
                that its probe used an encoder of about that size and length; a \(progress.epoch)-epoch encoder of \
                width \(width) is the start of that road, not its end: more epochs (Lesson 4 --epochs) and width \
                (--width 64) are how to go further.
                """)
        }
    }

    /// How one SimCLR map compares with the untrained network's and with raw pixels, in words
    /// decided by the noise threshold.
    static func compare(_ map: EmbeddedMap, pixels: EmbeddedMap, random: EmbeddedMap, noise: Double, classNames: [String],
                        report: Report) {
        let pixelClasses = ranked(pixels.classAccuracy, classNames).prefix(3).joined(separator: ", ")
        let who = map.name == Representation.longRunName ? "The long run's map" : "Your SimCLR map"
        let overRandom = report.value("\(map.name): map accuracy minus random-init", 100 * (map.mapAccuracy - random.mapAccuracy),
                                      format: "%+.1f", unit: "points")
        let overPixels = report.value("\(map.name): map accuracy minus raw pixels", 100 * (map.mapAccuracy - pixels.mapAccuracy),
                                      format: "%+.1f", unit: "points")
        let images = Report.format(Double(map.result.rows), "%,.0f")
        if overRandom > noise {
            report.say(String(format: "%@ groups the classes %.1f points better than the untrained network:", who, overRandom))
            report.say("it learned that from pairs of augmented views alone, never a label.")
        } else if overRandom < -noise {
            report.say(String(format: "%@ groups the classes %.1f points worse than the untrained network:", who, -overRandom))
            report.say("this checkpoint has not learned a useful representation (yet).")
        } else {
            report.say(String(format: "%@ and the untrained network's are %+.1f points apart: with %@ images,",
                              who, overRandom, images))
            report.say(String(format: "differences under about %.0f points are too close to call.", noise))
        }
        if overPixels > noise {
            report.say(String(format: "Against raw pixels it is %.1f points ahead: it groups by more than colour and background.", overPixels))
        } else {
            report.say(String(format: "Against raw pixels it is %@ (%+.1f points; with %@ images, differences under about",
                              overPixels < -noise ? "behind" : "level", overPixels, images))
            report.say(String(format: "%.0f points are noise). Colour and background alone already separate %@.", noise, pixelClasses))
        }
        let best = ranked(map.classAccuracy, classNames)
        report.say("Best separated: \(best.prefix(3).joined(separator: ", ")); least: \(best.suffix(3).reversed().joined(separator: ", ")).")
        report.say("")
    }

    /// Class names with their accuracy ("ship 44 %"), best first.
    private static func ranked(_ accuracy: [Double], _ classNames: [String]) -> [String] {
        (0 ..< classNames.count).sorted { accuracy[$0] > accuracy[$1] }
            .map { "\(classNames[$0]) \(String(format: "%.0f %%", 100 * accuracy[$0]))" }
    }
}
