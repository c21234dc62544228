import Core
import Foundation

/// Cosine learning-rate decay with optional linear warm-up, evaluated per step.
///
/// During warm-up `lr = base · (t + 1) / warmup`; afterwards
/// `lr = minimum + (base - minimum) · (1 + cos(π · t' / T')) / 2` with t' counted from the
/// end of warm-up over the remaining T' steps. Without warm-up and with T' = T this is
/// PyTorch's `CosineAnnealingLR(T_max = T)` sampled at steps 0…T.
public struct CosineSchedule: Sendable, Equatable {
    public let base: Float
    public let totalSteps: Int
    public let warmupSteps: Int
    public let minimum: Float

    public init(base: Float, totalSteps: Int, warmupSteps: Int = 0, minimum: Float = 0) {
        contract(totalSteps > 0 && warmupSteps >= 0 && warmupSteps <= totalSteps,
                 "CosineSchedule: need 0 ≤ warmup ≤ total and total > 0")
        self.base = base
        self.totalSteps = totalSteps
        self.warmupSteps = warmupSteps
        self.minimum = minimum
    }

    /// The learning rate for step `t` (0-based).
    public func rate(at t: Int) -> Float {
        if t < warmupSteps { return base * Float(t + 1) / Float(warmupSteps) }
        let span = max(1, totalSteps - warmupSteps)
        let progress = Double(min(t - warmupSteps, span)) / Double(span)
        return minimum + (base - minimum) * Float((1 + cos(Double.pi * progress)) / 2)
    }

    /// The Food-101 write-up's "linear scaling rule": `lr = base · batchSize / 256`
    /// (Goyal et al. 2017), so a batch of 64 trains with a quarter of the rate of 256.
    public static func linearlyScaled(_ base: Float, batchSize: Int) -> Float {
        base * Float(batchSize) / 256
    }
}

/// PyTorch's `torch.optim.lr_scheduler.CosineAnnealingLR` as the stateful object a training
/// loop holds.
///
/// `rate` is the learning rate of the current epoch, and only `step()` moves it on. The
/// Food-101 write-up's loop calls it once per epoch, after the batch loop, so each epoch
/// trains at one rate of the cosine.
public struct CosineAnnealingScheduler: Sendable {
    public let schedule: CosineSchedule
    /// How many times `step()` has been called (PyTorch's `last_epoch`).
    public private(set) var epoch = 0

    /// - Parameters:
    ///   - base: the optimizer's initial learning rate.
    ///   - maxEpochs: PyTorch's `T_max`, the epochs of one half cosine.
    public init(base: Float, maxEpochs: Int) {
        schedule = CosineSchedule(base: base, totalSteps: maxEpochs)
    }

    /// The learning rate the optimizer uses now.
    public var rate: Float { schedule.rate(at: epoch) }

    /// `scheduler.step()`: the end of an epoch.
    public mutating func step() { epoch += 1 }
}
