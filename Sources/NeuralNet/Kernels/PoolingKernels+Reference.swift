import Core

/// `y[p] = (Σ_i x[p, i]) / planeSize`, summed in order. Same contract as `globalAveragePoolForward`.
package func globalAveragePoolForwardReference(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>,
                                              planes: Int, planeSize: Int) {
    let scale = 1 / Float(planeSize)
    for p in 0 ..< planes {
        var sum: Float = 0
        for i in 0 ..< planeSize { sum += x[p * planeSize + i] }
        y[p] = sum * scale
    }
}
