// TSNECompare: embeds a matrix saved by numpy with this project's t-SNE and prints
// what scripts/tsne-compare/compare.py sets beside scikit-learn: the final KL, the
// trustworthiness (k = 5) against the input, the 2-D kNN accuracy and the wall time.
//
//   swift run -c release TSNECompare --input X.npy [--labels y.npy] [--method exact|bh]
//       [--output Y.npy] [--pca 50] [--perplexity 30] [--iterations 1000]
//       [--learning-rate auto|200] [--seed 0] [--trust-k 5] [--knn-k 5] [--threads 2]
//
// The last line is `RESULT {json}` for the script to read.
import Core
import Evaluation
import Foundation
import NPYFormat

struct Options {
    var input = ""
    var labels: String?
    var output: String?
    var method = "bh"
    var pca = 50
    var perplexity = 30.0
    var iterations = 1000
    var learningRate = TSNE.LearningRate.auto
    var seed: UInt64 = 0
    var trustK = 5
    var knnK = 5

    static let usage = "usage: TSNECompare --input X.npy [--labels y.npy] [--method exact|bh] [--output Y.npy] [--pca K (0: none)] [--perplexity P] [--iterations N] [--learning-rate auto|ETA] [--seed S] [--trust-k K] [--knn-k K] [--threads T]"

    init(_ arguments: [String]) throws {
        var i = 0
        func value() throws -> String {
            i += 1
            guard i < arguments.count else { throw EmbeddingError("\(arguments[i - 1]) needs a value; \(Options.usage)") }
            return arguments[i]
        }
        func number<T: LosslessStringConvertible>(_ text: String, _ flag: String) throws -> T {
            guard let v = T(text) else { throw EmbeddingError("\(flag) \(text) is not a number; \(Options.usage)") }
            return v
        }
        while i < arguments.count {
            let flag = arguments[i]
            switch flag {
            case "--input": input = try value()
            case "--labels": labels = try value()
            case "--output": output = try value()
            case "--method":
                method = try value()
                guard method == "exact" || method == "bh" else {
                    throw EmbeddingError("--method \(method) is unknown; use exact or bh")
                }
            case "--pca": pca = try number(try value(), flag)
            case "--perplexity": perplexity = try number(try value(), flag)
            case "--iterations": iterations = try number(try value(), flag)
            case "--learning-rate":
                let text = try value()
                learningRate = text == "auto" ? .auto : .fixed(try number(text, flag))
            case "--seed": seed = try number(try value(), flag)
            case "--trust-k": trustK = try number(try value(), flag)
            case "--knn-k": knnK = try number(try value(), flag)
            case "--threads": Parallel.threadCount = max(1, try number(try value(), flag))
            case "--help", "-h":
                print(Options.usage)
                exit(0)
            default: throw EmbeddingError("unknown argument \(flag); \(Options.usage)")
            }
            i += 1
        }
        guard !input.isEmpty else { throw EmbeddingError("--input is required; \(Options.usage)") }
    }
}

func seconds(since start: DispatchTime) -> Double {
    Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
}

func run() throws {
    let options = try Options(Array(CommandLine.arguments.dropFirst()))
    let (x, shape) = try NPY.readFloats(URL(fileURLWithPath: options.input))
    guard shape.count == 2 else {
        throw EmbeddingError("\(options.input): shape \(shape) is not 2-D; save an (N, D) matrix")
    }
    let rows = shape[0], cols = shape[1]
    var labels: [Int]?
    if let path = options.labels {
        let read = try NPY.readIntegers(URL(fileURLWithPath: path))
        guard read.values.count == rows else {
            throw EmbeddingError("\(path): \(read.values.count) labels for \(rows) points")
        }
        labels = read.values
    }
    print("input \(options.input): \(rows) x \(cols), method \(options.method), threads \(Parallel.threadCount)")

    var data = x, dims = cols, pcaSeconds = 0.0
    if options.pca > 0 && cols > options.pca {
        let start = DispatchTime.now()
        let pca = try PCA(x, rows: rows, cols: cols, components: options.pca)
        pcaSeconds = seconds(since: start)
        data = pca.projected
        dims = options.pca
        let kept = pca.explainedVarianceRatio.reduce(0, +)
        print(String(format: "PCA %d -> %d: %.1f%% of the variance kept, first three %.3f %.3f %.3f, %.2f s",
                     cols, dims, 100 * kept, pca.explainedVarianceRatio[0],
                     pca.explainedVarianceRatio[min(1, dims - 1)], pca.explainedVarianceRatio[min(2, dims - 1)],
                     pcaSeconds))
    }

    let tsne = TSNE(method: options.method == "exact" ? .exact : .barnesHut, perplexity: options.perplexity,
                    iterations: options.iterations, learningRate: options.learningRate)
    let start = DispatchTime.now()
    let result = try tsne.embed(data, rows: rows, cols: dims, seed: options.seed) { iteration, kl in
        print(String(format: "iteration %4d: KL %.4f (%.1f s)", iteration, kl, seconds(since: start)))
    }
    let tsneSeconds = seconds(since: start)
    print(String(format: "t-SNE (%@, learning rate %.1f): final KL %.4f in %.2f s", options.method,
                 result.learningRate, result.finalKL, tsneSeconds))

    let trustStart = DispatchTime.now()
    let trust = try trustworthiness(input: x, inputCols: cols, embedding: result.points, embeddingCols: 2,
                                    rows: rows, k: options.trustK)
    print(String(format: "trustworthiness (k = %d, against the %d-d input): %.4f (%.2f s)", options.trustK, cols,
                 trust, seconds(since: trustStart)))
    var knn = Double.nan
    if let labels {
        knn = try TSNE.neighbourAccuracy(points: result.points, rows: rows, cols: 2, labels: labels, k: options.knnK)
        print(String(format: "leave-one-out %d-NN accuracy in the map: %.4f", options.knnK, knn))
    }
    if let output = options.output {
        try NPY.write(result.points, shape: [rows, 2], to: URL(fileURLWithPath: output))
        print("map written to \(output)")
    }
    let json: [String: Double] = [
        "kl": result.finalKL, "trustworthiness": trust, "knn_accuracy": knn,
        "seconds_tsne": tsneSeconds, "seconds_pca": pcaSeconds, "learning_rate": result.learningRate,
    ]
    let fields = json.keys.sorted().map { key in
        let v = json[key]!
        return "\"\(key)\": " + (v.isNaN ? "null" : String(v))
    }
    print("RESULT {" + fields.joined(separator: ", ") + "}")
}

do {
    try run()
} catch {
    FileHandle.standardError.write(Data("TSNECompare: \(error)\n".utf8))
    exit(1)
}
