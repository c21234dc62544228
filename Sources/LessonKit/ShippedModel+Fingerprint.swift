import Foundation
import SimCLR

extension ShippedModel {
    /// Numbers that pin down what a model computes on fixed real images, recorded in the
    /// shipped file when it is exported and recomputed by the tests: a kernel change that
    /// breaks inference on real weights changes them.
    ///
    /// The images are the bundled sample's (so every clone has them): the first 100 training
    /// images of each class vote, through a kNN classifier on h (k = 200, cosine, exp(s/0.1),
    /// as Lesson 4's monitor), for the first 100 test images of each class.
    public struct Fingerprint: Codable, Equatable, Sendable {
        /// Which images, in words.
        public var images: String
        /// Test images the kNN classifier gets right, out of `queries`.
        public var knnCorrect: Int
        public var queries: Int
        /// Mean over the test images and dimensions of h (before normalisation): moves with
        /// any change to the weights or the kernels, even one that flips no vote.
        public var meanFeature: Double

        /// Metadata key under which the shipped file records it.
        public static let metadataKey = "fingerprint"

        /// kNN top-1 accuracy in [0, 1].
        public var knnTop1: Double { Double(knnCorrect) / Double(queries) }
    }

    /// Images per class on each side of the fingerprint's kNN.
    static let fingerprintPerClass = 100

    /// Computes `model`'s fingerprint on the bundled sample under `projectRoot`.
    /// - Throws: when the sample cannot be read.
    public static func fingerprint(_ model: SimCLRModel, projectRoot: URL = DataLocator.projectRoot()) throws -> Fingerprint {
        let folder = projectRoot.appendingPathComponent(DataLocator.samplePath).path
        let source = try DataLocator.locateCIFAR10(explicit: folder, projectRoot: projectRoot)
        let memory = try source.load(.train).firstPerClass(fingerprintPerClass)
        let queries = try source.load(.test).firstPerClass(fingerprintPerClass)
        let h = FeatureExtractor.features(model, of: memory, normalization: .cifar10)
        let hTest = FeatureExtractor.features(model, of: queries, normalization: .cifar10)
        let result = KNNClassifier(training: h, classes: memory.classNames.count).evaluate(hTest)
        let correct = Int((result.top1 * Double(queries.count)).rounded())
        let mean = hTest.values.reduce(0.0) { $0 + Double($1) } / Double(hTest.values.count)
        return Fingerprint(images: "bundled sample: first \(fingerprintPerClass) train images per class vote (kNN, k = 200) "
                           + "for the first \(fingerprintPerClass) test images per class",
                           knnCorrect: correct, queries: queries.count, meanFeature: mean)
    }

    /// The fingerprint recorded in the file at `url`, or nil if it has none.
    public static func recordedFingerprint(_ url: URL) throws -> Fingerprint? {
        let (_, metadata) = try SafeTensors.read(url)
        return try metadata[Fingerprint.metadataKey].map { try JSONDecoder().decode(Fingerprint.self, from: Data($0.utf8)) }
    }
}
