import Dispatch

/// Seconds on a monotonic clock (`DispatchTime`, immune to wall-clock adjustments).
func monotonicSeconds() -> Double {
    Double(DispatchTime.now().uptimeNanoseconds) / 1e9
}

/// Repeated measurements of one piece of work, in seconds.
///
/// The machine is shared with other builds, so a single run can be slowed by whatever
/// else is scheduled: the benchmark reports the median and shows the spread (fastest and
/// slowest) so a noisy figure can be recognised as such.
struct Timing {
    let samples: [Double]

    init(samples: [Double]) {
        precondition(!samples.isEmpty, "Timing: at least one sample")
        self.samples = samples.sorted()
    }

    var median: Double {
        let n = samples.count
        return n % 2 == 1 ? samples[n / 2] : (samples[n / 2 - 1] + samples[n / 2]) / 2
    }
    var fastest: Double { samples[0] }
    var slowest: Double { samples[samples.count - 1] }
    /// Slowest over fastest minus one: 0.05 means the runs were within 5 % of each other.
    var spread: Double { slowest / fastest - 1 }

    /// Times `body` `repeats` times after `warmups` untimed calls (which fill caches,
    /// fault in pages and let `Scratch` allocate its buffers).
    static func measure(repeats: Int, warmups: Int = 1, _ body: () -> Void) -> Timing {
        precondition(repeats > 0, "Timing.measure: at least one repeat")
        for _ in 0 ..< warmups { body() }
        var samples: [Double] = []
        samples.reserveCapacity(repeats)
        for _ in 0 ..< repeats {
            let start = monotonicSeconds()
            body()
            samples.append(monotonicSeconds() - start)
        }
        return Timing(samples: samples)
    }

    /// Like `measure`, but times `body` in a loop until at least `minimumSeconds` have
    /// passed and keeps the seconds per call, so that products of a millisecond are not
    /// timed one call at a time.
    static func measure(repeats: Int, minimumSeconds: Double, warmups: Int = 1, _ body: () -> Void) -> Timing {
        precondition(repeats > 0, "Timing.measure: at least one repeat")
        for _ in 0 ..< warmups { body() }
        var samples: [Double] = []
        for _ in 0 ..< repeats {
            var calls = 0
            let start = monotonicSeconds()
            var elapsed = 0.0
            repeat {
                body()
                calls += 1
                elapsed = monotonicSeconds() - start
            } while elapsed < minimumSeconds
            samples.append(elapsed / Double(calls))
        }
        return Timing(samples: samples)
    }
}
