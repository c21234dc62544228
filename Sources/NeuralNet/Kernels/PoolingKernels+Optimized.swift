import Core

/// Same result as `globalAveragePoolForwardReference` up to Float summation order: each
/// plane summed in 16 lanes, planes in pieces the cores claim as they go.
package func globalAveragePoolForwardOptimized(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>,
                                              planes: Int, planeSize: Int) {
    let scale = 1 / Float(planeSize)
    Parallel.forPieces(planes, minimumPiece: max(1, parallelThreshold / planeSize)) { r in
        for p in r { y[p] = simdSum(x + p * planeSize, planeSize) * scale }
    }
}
