import Foundation
import LessonKit
import SimCLR

/// Short SimCLR runs that measure what leaving an augmentation out costs.
struct LeavingOut {
    /// The budget of the short pretraining runs: small enough to stay inside the lesson's run
    /// time, the same for every run.
    struct Budget {
        var imagesPerClass: Int
        var epochs: Int
        var batchSize: Int
        var width: Int
        /// Seeds of the full pipeline (the lesson's --seed and the next two): their spread is
        /// the noise any difference must exceed. The runs without a stage use the first.
        var seeds: [UInt64]

        static func forRun(quick: Bool, seed: UInt64) -> Budget {
            let seeds = [seed, seed &+ 1, seed &+ 2]
            return quick ? Budget(imagesPerClass: 20, epochs: 2, batchSize: 40, width: 4, seeds: seeds)
                : Budget(imagesPerClass: 100, epochs: 4, batchSize: 100, width: 8, seeds: seeds)
        }

        var summary: String {
            "ResNet-18 width \(width), \(Report.format(Double(imagesPerClass * 10), "%,.0f")) images, \(epochs) epochs of batch \(batchSize)"
        }
    }

    let budget: Budget
    /// Pretraining images, and the labelled images that vote in the kNN classifier.
    let images: InMemoryDataset
    /// The held-out test images whose class the kNN classifier guesses.
    let queries: InMemoryDataset

    init(quick: Bool, seed: UInt64, train: InMemoryDataset, test: InMemoryDataset) {
        budget = .forRun(quick: quick, seed: seed)
        images = train.firstPerClass(budget.imagesPerClass)
        queries = test.firstPerClass(quick ? 10 : 100)
    }

    /// The kNN accuracy (percent) of an encoder pretrained with only `stages` of the classroom
    /// pipeline under `seed`; NaN when the run stopped early.
    func kNNAccuracy(stages: Set<AugmentationStage>, seed: UInt64) throws -> Double {
        var config = TrainingConfiguration()
        config.architecture = SimCLRModel.Architecture(encoder: ResNetConfig(depth: .resnet18, width: budget.width, stem: .cifar),
                                                       hidden: 8 * budget.width, projection: 4 * budget.width)
        config.epochs = budget.epochs
        config.batchSize = budget.batchSize
        config.imagesPerClass = budget.imagesPerClass
        config.seed = seed
        config.augmentation = AugmentationSettings(.classroom).keeping(stages)
        // No per-epoch monitor: only the encoder at the end is compared.
        let trainer = Trainer(config: config, images: images, monitor: nil, checkpoint: nil, log: nil)
        guard case .finished = try trainer.run() else { return .nan }
        let normalization = trainer.pipeline.normalization ?? .cifar10
        let known = FeatureExtractor.features(trainer.model, of: images, normalization: normalization)
        let asked = FeatureExtractor.features(trainer.model, of: queries, normalization: normalization)
        let knn = KNNClassifier(training: known, classes: images.classNames.count, k: min(config.monitorK, known.rows))
        return knn.evaluate(asked).top1 * 100
    }

    /// What a measurement that contradicts the write-up means, and what we guess.
    static func explainHelps(_ report: Report, stage name: String, by points: Double) {
        report.say(String(format: """
            Here the measurement contradicts the write-up: without %@ kNN is %.1f points higher, beyond the noise. \
            The write-up does not say where it measured its claim; its own pipeline works on 256 px food photos, \
            ours on 32 px images trained for a few epochs. Our guess is that at this size and budget the stage \
            costs more than it teaches; the classroom-scale commands below test that guess.
            """, name, points))
    }

    /// The commands that repeat the measurement at the classroom's scale.
    static func suggestClassroomRuns(_ report: Report) {
        report.say("Repeat it at the classroom's scale (10,000 images, 10 epochs; minutes each) and compare the kNN lines:")
        report.say("    swift run Lesson4-Training --augmentations crop,flip,grey,blur --checkpoint checkpoints/no-jitter.safetensors")
        report.say("    swift run Lesson4-Training --augmentations crop,flip,jitter,grey --checkpoint checkpoints/no-blur.safetensors")
    }
}
