import Core

// Pooling. Global average pooling (every ResNet's last layer) has twins
// (`PoolingKernels+Reference`, `PoolingKernels+Optimized`) chosen by `ComputePath.current`; its backward
// and max pooling (only in the ImageNet stem, never hot here) are one plain path each.

/// Global average pooling: `y[n, c] = mean over (h, w) of x[n, c, h, w]`.
/// Shapes: `x` `[planes, planeSize]` (planes = batch · channels), `y` `[planes]`.
package func globalAveragePoolForward(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>,
                                     planes: Int, planeSize: Int) {
    switch ComputePath.current {
    case .reference: globalAveragePoolForwardReference(x, y, planes: planes, planeSize: planeSize)
    case .optimized: globalAveragePoolForwardOptimized(x, y, planes: planes, planeSize: planeSize)
    }
}

/// Backward of global average pooling: each pixel of a plane receives `dy / planeSize`.
/// Shapes: `dy` `[planes]`, `dx` `[planes, planeSize]` (overwritten).
package func globalAveragePoolBackward(_ dy: UnsafePointer<Float>, _ dx: UnsafeMutablePointer<Float>,
                                      planes: Int, planeSize: Int) {
    let scale = 1 / Float(planeSize)
    for p in 0 ..< planes {
        (dx + p * planeSize).update(repeating: dy[p] * scale, count: planeSize)
    }
}

/// Max pooling with a square window (the ImageNet stem's 3x3, stride 2, padding 1):
/// `y[n, c, oy, ox] = max over the window of x`, padding never wins. Records the flat
/// input index of each maximum in `argmax` for the backward pass.
///
/// Shapes: `x` `[planes, height, width]`; `y`, `argmax` `[planes, outHeight, outWidth]`
/// with `out = (in + 2·padding - window) / stride + 1`.
package func maxPoolForward(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>,
                           argmax: UnsafeMutablePointer<Int32>, planes: Int, height: Int, width: Int,
                           window: Int, stride: Int, padding: Int) {
    let oh = (height + 2 * padding - window) / stride + 1
    let ow = (width + 2 * padding - window) / stride + 1
    Parallel.forChunks(planes, minimumChunk: max(1, parallelThreshold / (height * width))) { r in
        for p in r {
            for oy in 0 ..< oh {
                for ox in 0 ..< ow {
                    var best = -Float.infinity, bestIndex: Int32 = -1
                    for ky in 0 ..< window {
                        let iy = oy * stride - padding + ky
                        if iy < 0 || iy >= height { continue }
                        for kx in 0 ..< window {
                            let ix = ox * stride - padding + kx
                            if ix < 0 || ix >= width { continue }
                            let i = (p * height + iy) * width + ix
                            if x[i] > best || bestIndex < 0 { best = x[i]; bestIndex = Int32(i) }
                        }
                    }
                    let o = (p * oh + oy) * ow + ox
                    y[o] = best
                    argmax[o] = bestIndex
                }
            }
        }
    }
}

/// Backward of max pooling: each output gradient goes to the input that was the maximum.
/// Shapes: `dy`, `argmax` `[planes, outHeight, outWidth]` (`outCount` elements);
/// `dx` `[planes, height, width]` (`inCount` elements, overwritten).
package func maxPoolBackward(_ dy: UnsafePointer<Float>, argmax: UnsafePointer<Int32>, outCount: Int,
                            _ dx: UnsafeMutablePointer<Float>, inCount: Int) {
    dx.update(repeating: 0, count: inCount)
    for o in 0 ..< outCount { dx[Int(argmax[o])] += dy[o] }
}
