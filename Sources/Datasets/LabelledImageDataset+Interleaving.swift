import Core

extension LabelledImageDataset {
    /// The first `k` images of every class, ordered class-interleaved.
    ///
    /// The order is image 0 of class 0, image 0 of class 1, …, image 0 of the last class,
    /// then image 1 of every class, and so on. Any prefix of `m * classNames.count` indices
    /// is then balanced, and its first `m` images per class are the first `m` of the data
    /// set's order.
    ///
    /// - Returns: `k * classNames.count` indices into this data set.
    /// - Throws: a one-line error when a class has fewer than `k` images.
    public func classInterleavedIndices(perClass k: Int) throws -> [Int] {
        contract(k >= 0, "classInterleavedIndices: k must not be negative")
        var perClass = [[Int]](repeating: [], count: classNames.count)
        for i in firstIndicesPerClass(k) { perClass[label(at: i)].append(i) }
        if let short = perClass.indices.first(where: { perClass[$0].count < k }) {
            throw FileError(path: identity.location,
                               reason: "class \(classNames[short]) has \(grouped(perClass[short].count)) images, fewer than the \(grouped(k)) asked for")
        }
        var order: [Int] = []
        order.reserveCapacity(k * classNames.count)
        for j in 0 ..< k { for c in perClass.indices { order.append(perClass[c][j]) } }
        return order
    }
}
