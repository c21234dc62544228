import ArgumentParser
import SimCLR

/// `swift run -c release Benchmark [section]`: measurements, never tests. Each section
/// prints a table; `all` (the default) runs them in order.
@main
struct BenchmarkCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "Benchmark",
        abstract: "Speed of the SimCLR lessons' kernels, model, training step and augmentation, beside numpy and PyTorch.",
        discussion: "See scripts/bench/README.md for what each table measures and how to read it.",
        subcommands: [AllSections.self, GEMMCommand.self, ConvCommand.self, ResNetCommand.self, StepCommand.self,
                      BoundsCommand.self, TorchCommand.self, AugmentCommand.self, StepMemoryCommand.self],
        defaultSubcommand: AllSections.self)
}

/// Prints the header, runs `body` with the options applied, prints the footer.
private func runSection(_ name: String, _ options: BenchmarkOptions, _ body: () throws -> Void) rethrows {
    let started = monotonicSeconds()
    options.apply()
    Machine.printHeader(command: name, options: options)
    try body()
    Machine.printFooter(started: started)
}

struct AllSections: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "all",
                                                    abstract: "Every section in turn (about five minutes on 2 cores).")
    @OptionGroup var options: BenchmarkOptions

    func run() throws {
        try runSection("all sections", options) {
            GEMMSection(options: options).run()
            ConvSection(options: options, batch: 512).run()
            ResNetSection(options: options).run()
            StepSection(options: options, swift: true, torch: true, batches: StepSection.defaultBatches).run()
            BoundsSection(options: options, batches: [64]).run()
            try AugmentSection(options: options).run()
        }
    }
}

struct GEMMCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "gemm",
                                                    abstract: "GEMM GFLOP/s, square and convolution-shaped, beside numpy/OpenBLAS.")
    @OptionGroup var options: BenchmarkOptions
    func run() { runSection("gemm", options) { GEMMSection(options: options).run() } }
}

struct ConvCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "conv",
                                                    abstract: "Per-layer convolution GFLOP/s (forward, backward-data, backward-weights), optimized vs reference.")
    @OptionGroup var options: BenchmarkOptions
    @Option(help: "Views per batch (two per image: 512 is the classroom's batch of 256 images).")
    var views = 512
    func validate() throws {
        guard (2 ... 4096).contains(views) else { throw ValidationError("--views must be between 2 and 4096 (got \(views))") }
    }
    @Option(help: "Force one kernel wherever it applies: direct, folded, channel-lanes, im2col or winograd (default: the library's choice).")
    var kernel: ConvKernel?
    func run() {
        ConvKernel.forced = kernel
        runSection("conv", options) { ConvSection(options: options, batch: views).run() }
    }
}

struct ResNetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "resnet",
                                                    abstract: "ResNet-18 forward and forward+backward images/s, optimized vs reference.")
    @OptionGroup var options: BenchmarkOptions
    func run() { runSection("resnet", options) { ResNetSection(options: options).run() } }
}

struct StepCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "step",
                                                    abstract: "The classroom SimCLR training step in Swift and in PyTorch, and the ratio.")
    @OptionGroup var options: BenchmarkOptions
    @Option(parsing: .upToNextOption, help: "Images per step to measure (each gives two views).")
    var images: [Int] = StepSection.defaultBatches
    func validate() throws { try StepSection.validate(images) }
    func run() { runSection("step", options) {
            StepSection(options: options, swift: true, torch: true, batches: images).run()
        } }
}

struct BoundsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "bounds",
                                                    abstract: "Each operation of the classroom step against its FMA and memory bounds, shape by shape.")
    @OptionGroup var options: BenchmarkOptions
    @Option(parsing: .upToNextOption, help: "Images per step to measure (each gives two views).")
    var images: [Int] = [64]
    func validate() throws { try StepSection.validate(images) }
    func run() { runSection("bounds", options) { BoundsSection(options: options, batches: images).run() } }
}

struct TorchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "torch",
                                                    abstract: "Only the PyTorch side of the training step (sets up its virtual environment on first use).")
    @OptionGroup var options: BenchmarkOptions
    @Option(parsing: .upToNextOption, help: "Images per step to measure (each gives two views).")
    var images: [Int] = StepSection.defaultBatches
    func validate() throws { try StepSection.validate(images) }
    func run() { runSection("torch", options) {
            StepSection(options: options, swift: false, torch: true, batches: images).run()
        } }
}

struct AugmentCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "augment",
                                                    abstract: "Classroom augmentation throughput, optimized vs reference.")
    @OptionGroup var options: BenchmarkOptions
    func run() throws { try runSection("augment", options) { try AugmentSection(options: options).run() } }
}

extension ConvKernel: ExpressibleByArgument {}
