import Foundation

/// An integer with thousands separators ("30,000,123"), independent of the locale: the counts
/// in messages and the numbers in the benchmark's tables.
public func grouped(_ n: Int) -> String {
    (n < 0 ? "-" : "") + separatingThousands(String(n.magnitude))
}

/// A number rounded to an integer (`%.0f`, so halves go to the even neighbour) with thousands
/// separators: 1,048,576.
public func grouped(_ v: Double) -> String {
    (v < 0 ? "-" : "") + separatingThousands(String(format: "%.0f", abs(v)))
}

/// A comma before every third digit from the right.
private func separatingThousands(_ digits: String) -> String {
    var out = ""
    for (i, ch) in digits.enumerated() {
        if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
        out.append(ch)
    }
    return out
}
