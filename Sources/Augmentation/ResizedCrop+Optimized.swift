extension Kernels {
    /// ToTensor + crop + resize + optional flip in one go, from 8-bit interleaved pixels
    /// to a float planar image: the same sums as `PlanarImage.resizedCrop`, done
    /// separably (rows first, as PyTorch's antialiased resize does). ToTensor's byte / 255
    /// comes from a table of the same 256 quotients the reference computes, and the flip
    /// is folded into where the row pass writes.
    ///
    /// - Parameters:
    ///   - source: `sourceWidth`-wide HWC bytes containing `box`.
    ///   - size: output side; the output is 3 x size x size at `out`.
    ///   - temp: 3 x box.height x size floats of scratch.
    static func resizedCrop(source: UnsafePointer<UInt8>, sourceWidth: Int, box: CropBox, size: Int,
                            antialias: Bool, flip: Bool,
                            temp: UnsafeMutablePointer<Float>, out: UnsafeMutablePointer<Float>) {
        let columns = ResampleTable(inputSize: box.width, outputSize: size, antialias: antialias)
        let rows = ResampleTable(inputSize: box.height, outputSize: size, antialias: antialias)
        let cropRows = box.height
        // Horizontal pass: every crop row to `size` columns, into temp[c][y][x].
        unitFromByte.withUnsafeBufferPointer { unit in
            columns.weights.withUnsafeBufferPointer { weights in
                let starts = columns.starts, taps = columns.taps
                for y in 0 ..< cropRows {
                    let row = source + ((box.top + y) * sourceWidth + box.left) * 3
                    let tr = temp + y * size, tg = temp + (cropRows + y) * size, tb = temp + (2 * cropRows + y) * size
                    for x in 0 ..< size {
                        let pixel = row + starts[x] * 3
                        let w = weights.baseAddress! + x * taps
                        var r: Float = 0, g: Float = 0, b: Float = 0
                        for t in 0 ..< taps {
                            r += w[t] * unit[Int(pixel[3 * t])]
                            g += w[t] * unit[Int(pixel[3 * t + 1])]
                            b += w[t] * unit[Int(pixel[3 * t + 2])]
                        }
                        let xo = flip ? size - 1 - x : x
                        tr[xo] = r
                        tg[xo] = g
                        tb[xo] = b
                    }
                }
            }
        }
        // Vertical pass: 16 output columns at a time.
        rows.weights.withUnsafeBufferPointer { weights in
            let taps = rows.taps
            for c in 0 ..< 3 {
                let plane = temp + c * cropRows * size
                for y in 0 ..< size {
                    let w = weights.baseAddress! + y * taps
                    let first = plane + rows.starts[y] * size
                    let o = out + (c * size + y) * size
                    var x = 0
                    while x < size {
                        let n = min(16, size - x)
                        var acc = Vector()
                        for t in 0 ..< taps { acc += w[t] * loadVector(first + t * size + x, n) }
                        storeVector(acc, o + x, n)
                        x += 16
                    }
                }
            }
        }
    }
}

/// `Float(b) / 255` for every byte: ToTensor's values, computed once.
let unitFromByte: [Float] = (0 ... 255).map { Float($0) / 255 }
