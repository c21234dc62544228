// swift-tools-version:6.0
// SimCLR lessons in Swift: six notebook-style lessons over one core library.
import Foundation
import PackageDescription

/// The CPU the numeric code is compiled for: this machine's (`native`), unless the
/// environment variable SIMCLR_TARGET_CPU names another, e.g. `haswell` for the AVX2 build
/// the benchmark compares (`scripts/bench/avx2_build.sh`, in its own `--scratch-path`).
let targetCPU = ProcessInfo.processInfo.environment["SIMCLR_TARGET_CPU"] ?? "native"

/// Whether that CPU has AVX-512's 32 vector registers of 16 floats, which the wide register
/// tiles need (`RegisterTile` in Sources/Core). Read from /proc/cpuinfo for a native build;
/// a named CPU is taken as AVX-512 only if it is one of the families that have it. Anything
/// unknown (macOS, ARM) gets the narrow tiles, which are correct everywhere.
let wideVectorRegisters: Bool = {
    if targetCPU == "native" {
        let cpuinfo = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        return cpuinfo.split(separator: "\n").first { $0.hasPrefix("flags") }?
            .split(separator: " ").contains("avx512f") ?? false
    }
    return ["skylake-avx512", "cascadelake", "cooperlake", "icelake-server", "icelake-client", "tigerlake",
            "sapphirerapids", "znver4", "znver5"].contains(targetCPU)
}()

/// The numeric code is compiled with optimization in every configuration, so that
/// `swift run Lesson4-Training` as typed (a debug build) trains at full speed.
/// `-target-cpu` lets LLVM use the machine's full vector width; without it `SIMD16<Float>`
/// becomes four SSE operations. `-wmo` is deliberately absent: in debug builds it breaks
/// linking on Linux (autolink-extract).
///
/// The fuzz targets (scripts/fuzz/) set SIMCLR_FUZZ=1 and build in their own scratch path
/// without it: a plain debug build keeps every bounds check and precondition, so a parser
/// that reads past its input stops there instead of reading garbage.
let fuzzing = ProcessInfo.processInfo.environment["SIMCLR_FUZZ"] != nil
/// SIMCLR_CONTRACTS=off compiles `contract(…)` to nothing: only for measuring what the checks
/// cost (`scripts/bench/contracts_cost.sh`, in its own scratch path); never for running lessons.
let contractsOff = ProcessInfo.processInfo.environment["SIMCLR_CONTRACTS"] == "off"
let optimized: [SwiftSetting] = (fuzzing ? [] : [.unsafeFlags(["-Ounchecked", "-target-cpu", targetCPU])])
    + (wideVectorRegisters ? [.define("WIDE_VECTOR_REGISTERS")] : [])
    + (contractsOff ? [.define("CONTRACTS_OFF")] : [])

let lessons = [
    "Lesson1-Dataset", "Lesson2-Model", "Lesson3-Augmentation",
    "Lesson4-Training", "Lesson5-LinearProbe", "Lesson6-TSNE",
]

/// The library's modules, listed directly by every target that uses them, not only reached
/// through `SimCLR`'s re-exports: SwiftPM recompiles a target when a module it lists changes,
/// and one that reached `NeuralNet` only through `SimCLR` kept code compiled against an older
/// build's class layout after a pull (a lesson then crashed in `swift_retain` until rebuilt).
let libraryModules: [Target.Dependency] = [
    "Core", "Imaging", "Plotting", "Datasets", "NeuralNet", "Augmentation", "Evaluation", "SimCLR",
]

let package = Package(
    name: "SimCLRLessons",
    platforms: [.macOS(.v13)],
    products: [
        .library(name: "SimCLR", targets: ["SimCLR"]),
    ] + (lessons + ["Walkthrough"]).map { .executable(name: $0, targets: [$0]) },
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        // C libraries: libpng through its simplified API, libjpeg through a setjmp shim.
        .systemLibrary(name: "CLibPNG", pkgConfig: "libpng",
                       providers: [.apt(["libpng-dev"])]),
        .target(name: "CJPEGShim", linkerSettings: [.linkedLibrary("jpeg")]),
        .target(name: "CAllocatorShim"),
        // Clang splits 16-float vectors into 8-float halves unless told to prefer 512 bits
        // (a no-op where the CPU has no AVX-512).
        .target(name: "CSIMDShuffle",
                cSettings: [.unsafeFlags(["-O2", "-march=\(targetCPU)", "-mprefer-vector-width=512"])]),

        // The core library, one module per concern; `SimCLR` re-exports them all.
        .target(name: "Core", dependencies: ["CAllocatorShim", "CSIMDShuffle"], exclude: ["README.md"], swiftSettings: optimized),
        .target(name: "Imaging", dependencies: ["Core", "CLibPNG", "CJPEGShim"], exclude: ["README.md"],
                swiftSettings: optimized),
        .target(name: "Plotting", dependencies: ["Core", "Imaging"], exclude: ["README.md"], swiftSettings: optimized),
        .target(name: "Datasets", dependencies: ["Core", "Imaging"], exclude: ["README.md"], swiftSettings: optimized),
        .target(name: "NeuralNet", dependencies: ["Core"], exclude: ["README.md", "Kernels/README.md"], swiftSettings: optimized),
        .target(name: "Augmentation", dependencies: ["Core", "Imaging"], exclude: ["README.md"], swiftSettings: optimized),
        .target(name: "Evaluation", dependencies: ["Core", "NeuralNet"], exclude: ["README.md"], swiftSettings: optimized),
        .target(name: "SimCLR",
                dependencies: ["Core", "Imaging", "Plotting", "Datasets", "NeuralNet", "Augmentation", "Evaluation"],
                exclude: ["README.md"], swiftSettings: optimized),

        // What the lessons share: reporting, flags, data discovery, progress.
        .target(name: "LessonKit", dependencies: libraryModules + [
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ], exclude: ["README.md"]),

        // The lessons (Lessons/LessonN-…, listed in `lessons` and added at the end) and the
        // walkthrough that runs all six.
        .executableTarget(name: "Walkthrough", dependencies: ["LessonKit"] + libraryModules + lessons.map { .target(name: $0) },
                          path: "Lessons/Walkthrough"),

        // Tools for the project's own work, not part of the library: measurements, the
        // bundled sample's packer, the t-SNE comparison with scikit-learn.
        .executableTarget(name: "Benchmark", dependencies: libraryModules + [
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ], path: "Tools/Benchmark", swiftSettings: optimized),
        .executableTarget(name: "PackSample", dependencies: [
            "Datasets", .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ], path: "Tools/PackSample"),
        .executableTarget(name: "TSNECompare", dependencies: ["Evaluation", "NPYFormat"], path: "Tools/TSNECompare",
                          swiftSettings: optimized),
        // NumPy's .npy files, which only TSNECompare exchanges with Python.
        .target(name: "NPYFormat", dependencies: ["Core"], path: "Tools/NPYFormat", swiftSettings: optimized),
        .executableTarget(name: "ShippedModels", dependencies: ["LessonKit"] + libraryModules + [
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ], path: "Tools/ShippedModels"),

        // Tests, and what they share.
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        // Breaks one contract on purpose, for ContractTests (never a product).
        .executableTarget(name: "ContractProbe", dependencies: libraryModules, path: "Tests/ContractProbe"),
        .testTarget(name: "CoreTests", dependencies: ["TestSupport", "Core"]),
        .testTarget(name: "ImagingTests", dependencies: ["TestSupport", "Imaging"]),
        .testTarget(name: "DatasetsTests", dependencies: ["TestSupport", "Datasets"]),
        .testTarget(name: "PlottingTests", dependencies: ["TestSupport", "Plotting"]),
        .testTarget(name: "NeuralNetTests", dependencies: ["TestSupport", "NeuralNet"]),
        .testTarget(name: "AugmentationTests", dependencies: ["TestSupport", "Augmentation"]),
        .testTarget(name: "EvaluationTests", dependencies: ["TestSupport", "Evaluation"]),
        .testTarget(name: "NPYFormatTests", dependencies: ["TestSupport", "NPYFormat"]),
        .testTarget(name: "SimCLRTests", dependencies: ["TestSupport"] + libraryModules),
        .testTarget(name: "LessonKitTests", dependencies: ["TestSupport", "LessonKit"] + libraryModules),
        .testTarget(name: "LessonTests", dependencies: ["TestSupport", "LessonKit", "ContractProbe", "Benchmark", "ShippedModels"]
                        + libraryModules + lessons.map { .target(name: $0) }),
    ] + lessons.map {
        .executableTarget(name: $0, dependencies: ["LessonKit"] + libraryModules, path: "Lessons/\($0)")
    }
)
