extension Kernels {
    /// ToTensor + crop + resize + optional flip in one go, from 8-bit interleaved pixels
    /// to a float planar image: the same sums as `PlanarImage.resizedCrop`, done
    /// separably (rows first, as PyTorch's antialiased resize does).
    ///
    /// 1. The crop is unpacked to planar floats through a table of the same 256
    ///    quotients byte / 255 the reference computes.
    /// 2. Each crop row is resized to `size` columns 16 at a time (`BandedResampleTable`;
    ///    the flip is in which lane each output lands).
    /// 3. Each output row is the weighted sum of a few resized rows, 16 columns at a time.
    ///
    /// - Parameters:
    ///   - source: `sourceWidth`-wide HWC bytes containing `box`.
    ///   - size: output side; the output is 3 x size x size at `out`.
    ///   - temp: `resizedCropScratch(box:size:)` floats.
    static func resizedCrop(source: UnsafePointer<UInt8>, sourceWidth: Int, box: CropBox, size: Int,
                            antialias: Bool, flip: Bool,
                            temp: UnsafeMutablePointer<Float>, out: UnsafeMutablePointer<Float>) {
        let cropRows = box.height, cropColumns = box.width
        let crop = temp, resized = temp + 3 * cropRows * cropColumns
        unitFromByte.withUnsafeBufferPointer { unit in
            for y in 0 ..< cropRows {
                let row = source + ((box.top + y) * sourceWidth + box.left) * 3
                let r = crop + y * cropColumns, g = r + cropRows * cropColumns, b = g + cropRows * cropColumns
                for x in 0 ..< cropColumns {
                    r[x] = unit[Int(row[3 * x])]
                    g[x] = unit[Int(row[3 * x + 1])]
                    b[x] = unit[Int(row[3 * x + 2])]
                }
            }
        }
        let columns = BandedResampleTable(inputSize: cropColumns, outputSize: size, antialias: antialias, flip: flip)
        columns.weights.withUnsafeBufferPointer { weights in
            let w = weights.baseAddress!
            let plane = cropRows * cropColumns, resizedPlane = cropRows * size
            for y in 0 ..< cropRows {
                let r = crop + y * cropColumns, g = r + plane, b = g + plane
                let outR = resized + y * size, outG = outR + resizedPlane, outB = outG + resizedPlane
                for block in 0 ..< columns.bandStart.count {
                    let start = columns.bandStart[block], band = w + columns.offset[block]
                    var accR = Vector(), accG = Vector(), accB = Vector()
                    for j in 0 ..< columns.bandLength[block] {
                        let weight = UnsafeRawPointer(band + 16 * j).loadUnaligned(as: Vector.self)
                        accR += r[start + j] * weight
                        accG += g[start + j] * weight
                        accB += b[start + j] * weight
                    }
                    let x = 16 * block, n = min(16, size - x)
                    outR.store(accR, at: x, count: n)
                    outG.store(accG, at: x, count: n)
                    outB.store(accB, at: x, count: n)
                }
            }
        }
        let rows = ResampleTable(inputSize: cropRows, outputSize: size, antialias: antialias)
        rows.weights.withUnsafeBufferPointer { weights in
            let taps = rows.taps
            for y in 0 ..< size {
                let w = weights.baseAddress! + y * taps
                for c in 0 ..< 3 {
                    let first = resized + (c * cropRows + rows.starts[y]) * size
                    let o = out + (c * size + y) * size
                    var x = 0
                    while x < size {
                        let n = min(16, size - x)
                        var acc = w[0] * first.simd16(x, count: n)
                        for t in 1 ..< max(taps, 1) { acc += w[t] * first.simd16(t * size + x, count: n) }
                        o.store(acc, at: x, count: n)
                        x += 16
                    }
                }
            }
        }
    }

    /// Scratch floats `resizedCrop` needs for `box`: the planar crop and its resized rows.
    static func resizedCropScratch(box: CropBox, size: Int) -> Int {
        3 * box.height * (box.width + size)
    }
}

/// `Float(b) / 255` for every byte: ToTensor's values, computed once.
let unitFromByte: [Float] = (0 ... 255).map { Float($0) / 255 }

