import Core

/// `y[i] = max(x[i], 0)`. Same contract as `reluForward`.
package func reluForwardReference(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int) {
    for i in 0 ..< count { y[i] = max(x[i], 0) }
}

/// `dx[i] = y[i] > 0 ? dy[i] : 0`. Same contract as `reluBackward`.
package func reluBackwardReference(_ y: UnsafePointer<Float>, _ dy: UnsafePointer<Float>, _ dx: UnsafeMutablePointer<Float>,
                                  count: Int) {
    for i in 0 ..< count { dx[i] = y[i] > 0 ? dy[i] : 0 }
}

/// `out[i] = a[i] + b[i]`. Same contract as `add`.
package func addReference(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>,
                         count: Int) {
    for i in 0 ..< count { out[i] = a[i] + b[i] }
}

/// `out[i] = max(a[i] + b[i], 0)`. Same contract as `addReLU`.
package func addReLUReference(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>,
                             count: Int) {
    for i in 0 ..< count { out[i] = max(a[i] + b[i], 0) }
}
