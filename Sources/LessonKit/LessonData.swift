import Foundation
import SimCLR

/// Finding and loading CIFAR-10 the same way in every lesson.
public enum LessonData {
    /// Finds CIFAR-10 (`--data`, then the full set under `data/`, then the bundled sample)
    /// and says in one line which is used.
    public static func locate(_ options: LessonOptions, report: Report) throws -> CIFAR10Source {
        let source = try DataLocator.locateCIFAR10(explicit: options.data, projectRoot: DataLocator.projectRoot())
        report.text("data", source.description)
        report.setting("data", source.description)
        return source
    }

    /// The training and test splits decoded into memory.
    public static func load(_ source: CIFAR10Source) throws -> (train: InMemoryDataset, test: InMemoryDataset) {
        (try source.load(.train), try source.load(.test))
    }

    /// Downloads the official binary archive into `data/` with a progress bar.
    /// Offline, it prints one line and returns false; the lessons then use what is there.
    @discardableResult
    public static func download(report: Report) -> Bool {
        let root = DataLocator.projectRoot()
        let bar = ProgressBar(total: Int(CIFAR10Download.officialSize / 1_000_000), label: "download MB")
        do {
            let folder = try CIFAR10Download.run(dataFolder: root.appendingPathComponent("data")) { p in
                let rate = String(format: "%.1f MB/s", p.bytesPerSecond / 1e6)
                bar.update(Int(p.bytes / 1_000_000), status: rate)
            }
            report.say("downloaded and checked (MD5 \(CIFAR10Download.officialMD5)): \(Report.displayPath(folder))")
            return true
        } catch {
            report.say("download not possible: \(error)")
            return false
        }
    }
}
