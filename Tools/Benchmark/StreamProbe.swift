import SimCLR

/// The memory bound of an operation: how long this machine takes merely to read its inputs
/// and write its outputs once, with the same threads and the same buffer sizes, doing no
/// arithmetic.
///
/// A kernel that moves `r` bytes in and `w` bytes out cannot finish sooner than a loop that
/// only streams those bytes. Measuring that loop on buffers of the operation's own sizes,
/// rather than dividing by one bandwidth figure, gives each operation the bandwidth of the
/// level of the memory hierarchy its data actually lives in (a 1 MB tensor streams from L2,
/// an 8 MB one from L3 or memory), and it includes whatever the machine charges for writes
/// (a store to a line not in cache first reads it).
final class StreamProbe {
    private let reads: [FloatBuffer]
    private let writes: [FloatBuffer]

    /// - Parameters:
    ///   - reads: float counts of the buffers the operation reads (each read once).
    ///   - writes: float counts of the buffers it writes (each written once).
    init(reads: [Int], writes: [Int]) {
        var generator = SeededGenerator(seed: 11)
        self.reads = reads.map { FloatBuffer(count: $0, generator: &generator) }
        self.writes = writes.map { FloatBuffer(uninitializedCount: $0) }
    }

    /// Seconds of one pass, the fastest of `repeats` (as for the FMA peak: the bound is what
    /// the machine can do, and a shared machine only ever makes a run slower). A pass sums
    /// every read buffer and fills every write buffer in one dispatch to the kernels'
    /// threads, each thread taking its share of every buffer as the library's kernels split
    /// their work. The buffers advance together in slices of about 4 KB (in proportion to
    /// their sizes), so all streams are in flight at once, as in a kernel that reads its
    /// inputs and writes its outputs in one sweep.
    func seconds(repeats: Int) -> Double {
        // Raw pointers and counts, fetched once: touching the buffer objects inside the loop
        // would add reference counting that no kernel pays.
        let readPointers = reads.map(\.readOnly), writePointers = writes.map(\.pointer)
        let counts = (reads + writes).map(\.count)
        let threads = max(1, min(Parallel.threadCount, counts.max()! / 4096))
        var sinks = [Float](repeating: 0, count: threads)
        let timing = sinks.withUnsafeMutableBufferPointer { sink in
            Timing.measure(repeats: repeats, minimumSeconds: 0.02) {
                Parallel.forEach(threads) { t in
                    let ranges = counts.map { Parallel.chunkRange(t, of: threads, count: $0) }
                    let slices = max(1, (ranges.map(\.count).max()! + 1023) / 1024)
                    // Each buffer's slice length, in whole vectors (no division in the loop).
                    let lengths = ranges.map { ($0.count + 16 * slices - 1) / (16 * slices) * 16 }
                    // Four accumulators: one add chain would limit an L2-resident read to a
                    // vector per add latency.
                    var acc = SIMD16<Float>(), acc1 = SIMD16<Float>(), acc2 = SIMD16<Float>(), acc3 = SIMD16<Float>()
                    for slice in 0 ..< slices {
                        for (b, r) in ranges.enumerated() {
                            let start = r.lowerBound + slice * lengths[b]
                            guard start < r.upperBound else { continue }
                            let end = min(r.upperBound, start + lengths[b])
                            var i = start
                            if b < readPointers.count {
                                let p = readPointers[b]
                                while i + 64 <= end {
                                    acc += p.simd16(i); acc1 += p.simd16(i + 16)
                                    acc2 += p.simd16(i + 32); acc3 += p.simd16(i + 48)
                                    i += 64
                                }
                                while i + 16 <= end { acc += p.simd16(i); i += 16 }
                                while i < end { acc[0] += p[i]; i += 1 }
                            } else {
                                let p = writePointers[b - readPointers.count], v = SIMD16<Float>(repeating: 1)
                                while i + 16 <= end { p.store(v, at: i); i += 16 }
                                while i < end { p[i] = v[0]; i += 1 }
                            }
                        }
                    }
                    sink[t] += (acc + acc1 + acc2 + acc3).sum()
                }
            }
        }
        // The sums depend on every value read, so the reads cannot be optimised away. The
        // stored values do not depend on them: a store that waited for a sum would hold the
        // loads behind it, which no elementwise kernel does.
        if sinks.contains(where: \.isNaN) { print("  (stream probe: NaN sum)") }
        return timing.fastest
    }
}
