/// How one of our numbers compares with a source document's.
public enum Verdict: Equatable, Sendable {
    /// Within the stated tolerance.
    case agrees
    /// Outside the tolerance, with no reason to expect that.
    case differs
    /// The document's number cannot be right as stated; the reason says why.
    case documentInconsistent(String)
    /// Not expected to match because the setups differ (e.g. 10 epochs instead of 200).
    case differentSetup(String)

    public var symbol: String {
        switch self {
        case .agrees: "✓"
        case .differs: "✗"
        case .documentInconsistent: "⚠ document inconsistent"
        case .differentSetup: "≠ different setup"
        }
    }

    /// The name used in the machine-readable report.
    public var code: String {
        switch self {
        case .agrees: "agrees"
        case .differs: "differs"
        case .documentInconsistent: "document-inconsistent"
        case .differentSetup: "different-setup"
        }
    }

    public var reason: String? {
        switch self {
        case .documentInconsistent(let r), .differentSetup(let r): r
        default: nil
        }
    }
}

/// Why a number that disagrees with a document is not an error, and the computed
/// condition that proves it. An exception only turns ✗ into ⚠ or ≠ when its condition,
/// evaluated on numbers the code produced or on the configuration that actually ran,
/// holds; otherwise the check stays ✗. The lessons pass no constant condition: each is a
/// comparison of what ran with what a document states, or one of `ClaimConditions`'
/// functions, which `VerdictTests` feeds numbers that must give each verdict, ✗ included.
public struct Exception: Sendable {
    /// The verdict the check gets when the condition holds.
    public let verdict: Verdict
    /// Whether the condition holds.
    public let holds: Bool

    /// ⚠: the document's number cannot be right, `when` a bound or identity computed by the
    /// code shows it (e.g. a loss below the lowest value NT-Xent can take).
    public static func documentInconsistent(_ reason: String, when condition: Bool) -> Exception {
        Exception(verdict: .documentInconsistent(reason), holds: condition)
    }

    /// ≠: the run differs from the document's setup, `when` the configuration that ran (its
    /// width, epochs, images, labels) differs from the document's; the reason names the difference.
    public static func differentSetup(_ reason: String, when differs: Bool) -> Exception {
        Exception(verdict: .differentSetup(reason), holds: differs)
    }
}

/// Which document a number comes from.
public enum Source: String, Sendable {
    /// The hands-on card (CIFAR-10 / STL-10, ResNet-18).
    case card
    /// The Food-101 write-up (ResNet-50).
    case writeUp = "write-up"
    /// torchvision / PyTorch facts.
    case torchvision
    /// The SimCLR paper (Chen et al. 2020).
    case paper
    /// A reference implementation the documents do not cover (bhtsne, scikit-learn).
    case implementation
    /// A fact of the data set's own documentation.
    case dataset

    public var label: String {
        switch self {
        case .card: "card"
        case .writeUp: "write-up"
        case .torchvision: "torchvision"
        case .paper: "paper"
        case .implementation: "bhtsne/sklearn"
        case .dataset: "dataset"
        }
    }
}
