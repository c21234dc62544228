import ArgumentParser
import Foundation
import LessonKit
import SimCLR

/// The data sets Lesson 4 can pretrain on: CIFAR-10 (the classroom default), STL-10 (the
/// card's other data set, with its 100,000 unlabelled images) and Food-101 (the write-up's).
enum PretrainingDataset: String, CaseIterable, ExpressibleByArgument {
    case cifar10, stl10, food101

    /// Native (or, for Food-101, working) image size.
    var defaultImageSize: Int {
        switch self {
        case .cifar10: 32
        case .stl10: 96
        case .food101: 256
        }
    }
}

/// Pretraining images plus the labelled sets of the kNN monitor.
struct PretrainingData {
    let images: InMemoryDataset
    let memory: InMemoryDataset
    let queries: InMemoryDataset

    static func load(_ dataset: PretrainingDataset, options: LessonOptions, imagesPerClass: Int, imageSize: Int,
                     monitorPerClass: Int, report: Report) throws -> PretrainingData {
        switch dataset {
        case .cifar10:
            let source = try LessonData.locate(options, report: report)
            let (train, test) = try LessonData.load(source)
            return PretrainingData(images: train.firstPerClass(imagesPerClass), memory: train.firstPerClass(monitorPerClass),
                                   queries: test.firstPerClass(monitorPerClass))
        case .stl10:
            let folder = try folder(options, named: STL10Dataset.folderName, what: "STL-10 (stl10_binary/*.bin)")
            let unlabelled = try STL10Dataset(folder: folder, split: .unlabeled)
            let count = min(unlabelled.count, imagesPerClass * 10)
            report.text("data", "STL-10 at \(folder.path): \(Report.format(Double(count), "%,.0f")) unlabelled images for pretraining")
            let images = try InMemoryDataset(loading: unlabelled, indices: Array(0 ..< count))
            let train = try InMemoryDataset(loading: STL10Dataset(folder: folder, split: .train))
            let test = try InMemoryDataset(loading: STL10Dataset(folder: folder, split: .test))
            return PretrainingData(images: images, memory: train.firstPerClass(monitorPerClass),
                                   queries: test.firstPerClass(monitorPerClass))
        case .food101:
            let folder = try folder(options, named: Food101Dataset.folderName, what: "Food-101 (images/ and meta/)")
            let train = try Food101Dataset(folder: folder, split: .train)
            let test = try Food101Dataset(folder: folder, split: .test)
            report.text("data", "Food-101 at \(folder.path), resized to \(imageSize) px (shorter side, centre crop)")
            let resize: (RGBImage) throws -> RGBImage = { centreSquare($0, size: imageSize) }
            func first(_ d: Food101Dataset, _ k: Int) throws -> InMemoryDataset {
                try InMemoryDataset(loading: d, indices: d.firstIndicesPerClass(k), transform: resize)
            }
            return PretrainingData(images: try first(train, imagesPerClass), memory: try first(train, monitorPerClass),
                                   queries: try first(test, monitorPerClass))
        }
    }

    /// `--data DIR`, or `data/<name>` under the project; a one-line error if neither exists.
    static func folder(_ options: LessonOptions, named name: String, what: String) throws -> URL {
        let candidates = [options.data.map { URL(fileURLWithPath: $0) },
                          options.data.map { URL(fileURLWithPath: $0).appendingPathComponent(name) },
                          DataLocator.projectRoot().appendingPathComponent("data").appendingPathComponent(name)]
            .compactMap { $0 }
        for url in candidates where FileManager.default.fileExists(atPath: url.path) {
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("images").path)
                || FileManager.default.fileExists(atPath: url.appendingPathComponent("unlabeled_X.bin").path) {
                return url
            }
        }
        throw ValidationError("\(what) not found under \(options.data ?? "data/\(name)"); download it and pass --data DIR")
    }

    /// The shorter side resized to `size`, then the centre `size x size` (bilinear, antialiased).
    static func centreSquare(_ image: RGBImage, size: Int) -> RGBImage {
        let side = min(image.width, image.height)
        let box = CropBox(top: (image.height - side) / 2, left: (image.width - side) / 2, height: side, width: side)
        return PlanarImage(image).resizedCrop(box, to: size).rgbImage()
    }
}
