import Core
import Datasets
import Foundation

/// Times the two ways of getting CIFAR-10 into memory, on the full 60,000 images:
/// decoding the JPEG tree (on one thread, then on all), and loading the official binary
/// format (written here from the decoded pixels into a temporary folder, then read back).
/// Run it in an optimized build; the numbers go into the project's notes.
enum Measurement {
    static func run(jpegRoot: URL) throws {
        let clock = ContinuousClock()
        var start = clock.now
        let train = try ImageFolderDataset(root: jpegRoot.appendingPathComponent("train"), name: "CIFAR-10 train (JPEG)")
        let test = try ImageFolderDataset(root: jpegRoot.appendingPathComponent("test"), name: "CIFAR-10 test (JPEG)")
        print("listed \(grouped(train.count + test.count)) JPEG files in \(seconds(clock.now - start))")

        let cores = Parallel.defaultThreadCount()
        var decoded: (train: InMemoryDataset, test: InMemoryDataset)?
        // Alternating runs, so that a first pass warming the file cache favours neither.
        for threads in cores > 1 ? [1, cores, 1, cores] : [1, 1] {
            Parallel.threadCount = threads
            start = clock.now
            let cpuStart = processorSeconds()
            let a = try InMemoryDataset(loading: train)
            let b = try InMemoryDataset(loading: test)
            let wall = clock.now - start, cpu = processorSeconds() - cpuStart
            // CPU time over wall time shows how many cores were busy (the machine is shared).
            print("decoded \(grouped(a.count + b.count)) JPEGs into memory on \(threads) thread(s): \(seconds(wall)) wall, \(String(format: "%.3f", cpu)) s CPU (\(String(format: "%.2f", cpu / toSeconds(wall))) cores busy)")
            decoded = (a, b)
        }
        Parallel.threadCount = cores
        guard let (a, b) = decoded else { return }

        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("cifar-10-batches-bin-\(getpid())")
        defer { try? FileManager.default.removeItem(at: folder) }
        try CIFAR10Binary.writeFolder(train: a, test: b, to: folder, maxTestFileBytes: 0)
        for attempt in 1 ... 3 {
            start = clock.now
            let loadedTrain = try CIFAR10Binary.load(from: folder, split: .train)
            let loadedTest = try CIFAR10Binary.load(from: folder, split: .test)
            let elapsed = clock.now - start
            let same = loadedTrain.pixels == a.pixels && loadedTest.pixels == b.pixels
                && loadedTrain.labels == a.labels && loadedTest.labels == b.labels
            print("loaded the CIFAR-10 binary (\(grouped(loadedTrain.count)) train + \(grouped(loadedTest.count)) test, files in the page cache) in \(seconds(elapsed)), attempt \(attempt); pixels and labels equal the JPEG decode: \(same)")
        }
        start = clock.now
        var md5 = MD5()
        md5.update(a.pixels)
        let digest = md5.hexDigest
        print("MD5 of the \(grouped(a.pixels.count)) train pixel bytes (\(digest.prefix(8))…) in \(seconds(clock.now - start))")
        start = clock.now
        let stats = a.channelStatistics()
        print("train channel mean \(stats.mean.map { fixed($0) }) std \(stats.std.map { fixed($0) }) in \(seconds(clock.now - start))")
    }

    static func toSeconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
    }

    static func seconds(_ d: Duration) -> String { String(format: "%.3f s", toSeconds(d)) }

    /// User plus system CPU time of this process so far, over all its threads.
    static func processorSeconds() -> Double {
        var usage = rusage()
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        func s(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) * 1e-6 }
        return s(usage.ru_utime) + s(usage.ru_stime)
    }

    static func fixed(_ x: Double) -> String { String(format: "%.4f", x) }
}

