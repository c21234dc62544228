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
