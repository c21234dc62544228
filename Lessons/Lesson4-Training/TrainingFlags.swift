import ArgumentParser
import Foundation
import LessonKit
import SimCLR

/// Named starting points for the training knobs. Every knob flag given on the command line
/// overrides the preset's value.
enum Preset: String, CaseIterable, ExpressibleByArgument {
    /// Minutes on a 2-core CPU: 10 epochs of a width-16 ResNet-18 over 10,000 images.
    case classroom
    /// Hours: the model shipped in data/pretrained/. The same width-16 network and
    /// augmentations over all 50,000 training images for 100 epochs. Width 16 because
    /// width 32 trains 3.8x slower per image here (76 against 285 images/s), which would put
    /// 100 epochs near 18 hours. Peak learning rate 0.12 after 5 warm-up epochs: short trials
    /// on the classroom's 10,000 images showed no penalty for 0.12 against 0.06 and a clear one
    /// for 0.3, so the long run takes the largest rate that showed none, with a warm-up to
    /// protect its start. The trials' numbers: README.md, "The long run (`--preset long`)".
    case long

    var configuration: TrainingConfiguration {
        var c = TrainingConfiguration()
        if self == .long {
            c.imagesPerClass = 5_000
            c.epochs = 100
            c.learningRate = 0.12
            c.warmupEpochs = 5
        }
        return c
    }

    /// Where the preset's checkpoint goes unless `--checkpoint` says otherwise.
    func defaultCheckpoint(quick: Bool) -> String {
        switch self {
        case .classroom: LessonOptions.lesson4Checkpoint(quick: quick)
        case .long: quick ? "checkpoints/long-run-quick.safetensors" : "checkpoints/long-run.safetensors"
        }
    }

    /// The per-epoch CSV log's file name in the figures folder.
    var logName: String { self == .long ? "lesson4-long-run-log.csv" : "lesson4-log.csv" }
}

/// Lesson 4's training flags: a preset (or a recipe file), and the knobs that override it.
struct TrainingFlags: ParsableArguments {
    @Option(help: "Starting point for every knob below: classroom (minutes) or long (hours; the shipped model's recipe).")
    var preset = Preset.classroom
    @Option(help: ArgumentHelp("Start from a recipe file written by --export-config instead of the preset (its seed too); "
                               + "knob flags and --seed given on the command line still override it.", valueName: "file"))
    var config: String?
    @Option(help: ArgumentHelp("Write this run's whole configuration (architecture, data, every augmentation parameter, "
                               + "loss, optimizer, schedule, seed) as JSON to the file and stop without training. "
                               + "--config reads it back; scripts/torch/train_simclr.py trains it with PyTorch.",
                               valueName: "file"))
    var exportConfig: String?
    @Option(help: "Training epochs (classroom 10, long 100).") var epochs: Int?
    @Option(help: "Images per step, each giving two views (256).") var batchSize: Int?
    @Option(help: "Peak learning rate (classroom 0.06, long 0.12).") var lr: Float?
    @Flag(help: "Scale the learning rate by batch size / 256 (the write-up's linear scaling rule).") var linearScaling = false
    @Option(help: "NT-Xent temperature τ (0.5).") var temperature: Float?
    @Option(help: "Optimizer: sgd, lars or adam (sgd).") var optimizer: OptimizerKind?
    @Option(help: "Weight decay (1e-4).") var weightDecay: Float?
    @Option(help: "Linear warm-up epochs before the cosine decay (classroom 0, long 5).") var warmupEpochs: Int?
    @Option(help: "Encoder: resnet18, resnet34 or resnet50 (resnet18).") var arch: ResNetConfig.Depth?
    @Option(help: "Channels of the first stage (16 classroom, 64 the standard ResNet).") var width: Int?
    @Option(help: "Pretraining images per class, the first ones of each class (classroom 1,000, long 5,000 = all).")
    var imagesPerClass: Int?
    @Option(name: .customLong("dataset"),
            help: "Data set to pretrain on: cifar10, stl10 or food101 (the last two from --data or data/; default cifar10).")
    var datasetOption: PretrainingDataset?
    @Option(help: ArgumentHelp("Augmentation stages to use, separated by commas (default: all of crop,flip,jitter,grey,blur). "
                               + "Leave one out to see what it is worth, e.g. crop,flip,grey,blur trains without colour jitter.",
                               valueName: "stages"))
    var augmentations: String?
    @Option(help: "Side of the augmented views (default: 32 for CIFAR-10, 96 for STL-10, 256 for Food-101).")
    var imageSize: Int?
    @Option(help: ArgumentHelp("Where to write the checkpoint after every epoch (default: checkpoints/lesson4.safetensors; "
                               + "checkpoints/long-run.safetensors with --preset long; a -quick file with --quick)."))
    var checkpoint: String?
    @Flag(help: "Continue from the checkpoint instead of starting over.") var resume = false

    func validate() throws {
        if let epochs, epochs < 1 { throw ValidationError("--epochs must be at least 1 (got \(epochs))") }
        if let batchSize, batchSize < 2 { throw ValidationError("--batch-size must be at least 2 (got \(batchSize))") }
        if let lr, !(lr > 0) { throw ValidationError("--lr must be positive (got \(lr))") }
        if let temperature, !(temperature > 0) { throw ValidationError("--temperature must be positive (got \(temperature))") }
        if let width, width < 2 || width > 256 { throw ValidationError("--width must be between 2 and 256 (got \(width))") }
        if let imagesPerClass, imagesPerClass < 1 { throw ValidationError("--images-per-class must be positive") }
        if let imageSize, imageSize < 8 || imageSize > 512 {
            throw ValidationError("--image-size must be between 8 and 512 (got \(imageSize))")
        }
        if let augmentations {
            do {
                guard !(try AugmentationSettings.parseStages(augmentations)).isEmpty else {
                    throw ValidationError("--augmentations names no stage; give e.g. crop,flip,jitter,grey,blur")
                }
            } catch let error as AugmentationStageError {
                throw ValidationError("--augmentations: \(error)")
            }
        }
        let c: TrainingConfiguration
        do {
            c = try recipe()?.configuration ?? preset.configuration
        } catch {
            throw ValidationError("--config \(error)")
        }
        let (e, w) = (epochs ?? c.epochs, warmupEpochs ?? c.warmupEpochs)
        guard w >= 0 && w < e else {
            throw ValidationError("--warmup-epochs must be between 0 and epochs - 1 (got \(w) with \(e) epochs)")
        }
    }

    /// The recipe file given with `--config`, read and checked, or nil.
    func recipe() throws -> TrainingRecipe? {
        try config.map { try TrainingRecipe.read(URL(fileURLWithPath: $0)) }
    }

    /// The data set: `--dataset`, else the recipe file's, else CIFAR-10.
    var dataset: PretrainingDataset {
        datasetOption ?? (try? recipe()).flatMap { PretrainingDataset(rawValue: $0.dataset) } ?? .cifar10
    }

    /// The run's configuration: the preset (or the `--config` file), overridden by the flags
    /// given; `--quick` shrinks it to seconds.
    func configuration(options: LessonOptions) throws -> TrainingConfiguration {
        let recipe = try recipe()
        var c = recipe?.configuration ?? preset.configuration
        let size = imageSize ?? (datasetOption == nil ? recipe?.configuration.imageSize : nil) ?? dataset.defaultImageSize
        // Small images keep the CIFAR stem; large ones need torchvision's downsampling stem.
        let stem: ResNetConfig.Stem = size <= 64 ? .cifar : .imagenet
        if let recipe {
            // The file's network, with --arch and --width applied; a new image size takes its stem
            // and its default augmentation.
            if let arch { c.architecture.encoder.depth = arch }
            if let width { c.architecture.encoder.width = width }
            if size != recipe.configuration.imageSize {
                c.architecture.encoder.stem = stem
                c.augmentation = nil
            }
        } else {
            c.architecture = SimCLRModel.Architecture(encoder: ResNetConfig(depth: arch ?? .resnet18, width: width ?? 16,
                                                                            stem: stem),
                                                      hidden: 512, projection: 128)
        }
        c.imageSize = size
        if let augmentations {
            c.augmentation = AugmentationSettings(c.pipeline(imageSize: size)).keeping(try AugmentationSettings.parseStages(augmentations))
        }
        if let epochs { c.epochs = epochs }
        if let batchSize { c.batchSize = batchSize }
        if let lr { c.learningRate = lr }
        if linearScaling { c.linearScaling = true }
        if let temperature { c.temperature = temperature }
        if let optimizer { c.optimizer = optimizer }
        if let weightDecay { c.weightDecay = weightDecay }
        if let warmupEpochs { c.warmupEpochs = warmupEpochs }
        if let imagesPerClass { c.imagesPerClass = imagesPerClass }
        // A recipe file keeps its seed unless --seed is typed.
        let seedTyped = CommandLine.arguments.contains { $0 == "--seed" || $0.hasPrefix("--seed=") }
        if recipe == nil || seedTyped { c.seed = options.seed }
        if options.quick {
            // Seconds, not minutes: a narrow network on 160 images, two epochs.
            c.architecture = SimCLRModel.Architecture(encoder: ResNetConfig(depth: c.architecture.encoder.depth, width: 8,
                                                                            stem: c.architecture.encoder.stem),
                                                      hidden: 64, projection: 32)
            c.epochs = 2
            c.batchSize = 16
            c.imagesPerClass = 16
            c.monitorMemoryPerClass = 10
            c.monitorQueriesPerClass = 10
            c.warmupEpochs = 0
        }
        return c
    }

    /// With `--export-config FILE`: writes `config` there as a recipe file, says how to train
    /// it, and returns true (the lesson then stops); without it, returns false.
    func exportConfiguration(_ config: TrainingConfiguration) throws -> Bool {
        guard let exportConfig else { return false }
        let url = URL(fileURLWithPath: exportConfig)
        let recipe = TrainingRecipe(dataset: dataset.rawValue, configuration: config)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try recipe.encoded().write(to: url, options: .atomic)
        print("Wrote the configuration to \(exportConfig):")
        print("  \(recipe.summary)")
        print("Train it here:      swift run Lesson4-Training --config \(exportConfig)")
        print("or with PyTorch:    torchrun --nproc_per_node 1 scripts/torch/train_simclr.py \(exportConfig)  (scripts/torch/README.md)")
        return true
    }

    /// The command that continues this run after an interruption.
    var resumeCommand: String {
        let arguments = CommandLine.arguments.dropFirst().filter { $0 != "--resume" }
        return (["swift run Lesson4-Training"] + arguments + ["--resume"]).joined(separator: " ")
    }
}

extension OptimizerKind: ExpressibleByArgument {}
extension ResNetConfig.Depth: ExpressibleByArgument {}
