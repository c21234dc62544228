import SimCLR

/// What the shared host lets this run have at one moment: the memory bandwidth and the FMA rate
/// of the kernels' threads, each over a fraction of a second.
///
/// The load average sees only this machine's own processes. On a shared virtual machine the
/// neighbours it cannot see take memory bandwidth, or a core, for a minute at a time, and the
/// training step (which streams its activations through memory between layers) slows with them
/// while a multiply-add loop barely notices. Measured at the start and at the end
/// of a timing, the two say whether the host was the same throughout, and they put one run's
/// figures beside another's.
struct HostCheck {
    /// GB/s of one pass reading 128 MiB (`StreamProbe`, the fastest of 5).
    let memory: Double
    /// FMA chains' GFLOP/s (`PeakProbe`, the best of 3).
    let fma: Double

    /// Floats the memory probe reads: 128 MiB, four times the largest cache of these hosts.
    static let probeFloats = 32 << 20

    /// The memory probe, built once (filling its buffer takes longer than reading it) and
    /// passed to each `measure`.
    static func makeProbe() -> StreamProbe { StreamProbe(reads: [probeFloats], writes: []) }

    /// The host now, on `threads` threads, with a probe from `makeProbe`.
    static func measure(threads: Int, probe: StreamProbe) -> HostCheck {
        let bytes = Double(probeFloats * MemoryLayout<Float>.size)
        return HostCheck(memory: bytes / probe.seconds(repeats: 5) / 1e9,
                         fma: PeakProbe.gflops(threads: threads, repeats: 3))
    }

    /// `memory 46 GB/s, FMA 231 GFLOP/s`.
    var summary: String { String(format: "memory %.0f GB/s, FMA %.0f GFLOP/s", memory, fma) }

    /// The lines printed under a table timed between `start` and `end`, with a caution when
    /// either figure moved by more than a fifth between them: the host changed during the
    /// timing, and the table shows the neighbours as much as the code.
    static func report(start: HostCheck, end: HostCheck, threads: Int) -> [String] {
        var lines = ["  host: \(start.summary) at the start; \(end.summary) at the end (128 MiB read, and FMA "
                     + "chains, on \(Format.count(threads, "thread")))",
                     "  (other tenants of a shared host take memory bandwidth or a core at times, and the step slows with them)"]
        let kept = min(end.memory / start.memory, start.memory / end.memory, end.fma / start.fma, start.fma / end.fma)
        if kept < 0.8 {
            lines.append(String(format: "  caution: the host moved by %.0f %% during the timing; take the table again", 100 * (1 - kept)))
        }
        return lines
    }
}
