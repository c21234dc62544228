import Core

/// Same result as `globalAveragePoolForwardReference` up to Float summation order: each
/// plane summed in 16 lanes, planes in chunks over the cores.
package func globalAveragePoolForwardOptimized(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>,
                                              planes: Int, planeSize: Int) {
    let scale = 1 / Float(planeSize)
    Parallel.forChunks(planes, minimumChunk: max(1, parallelThreshold / planeSize)) { r in
        for p in r { y[p] = simdSum(x + p * planeSize, planeSize) * scale }
    }
}
