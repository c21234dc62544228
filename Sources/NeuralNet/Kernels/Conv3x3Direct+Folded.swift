import Core

/// Small images (8x8, 4x4: the deep stages of a CIFAR ResNet) through the direct 3x3
/// kernel, by folding several images side by side into one wider image.
///
/// Images are tiled in a row with one zero column between neighbours:
/// `[0 | image 0 | 0 | image 1 | 0 | … ]`. A 3x3 kernel
/// with padding 1 sees exactly the zeros it would see at each image's own border, so every
/// output pixel inside an image is that image's convolution; the outputs over the
/// separators are discarded. For the backward passes the output gradient is folded the
/// same way with zeros over the separators, so those positions contribute nothing. A
/// 64-wide composite holds seven 8x8 or thirteen 4x4 images per band (88 % and 81 % of its
/// columns useful), where im2col + GEMM pays for unrolling and packing every pixel nine
/// times. (Stacking such bands vertically gave the weight gradient more pixels per lane
/// reduction, but the taller composites no longer fit the 1 MiB L2 with 64+ channels.)
///
/// When the channels come in 32s (every ResNet layer of width 16 or more) the channel-lane
/// kernels (Conv3x3Direct+ChannelLanes*.swift) take these shapes instead: they waste no
/// lanes on separators. Folding remains for other channel counts.
extension Conv3x3Direct {
    /// How a small image size is folded: `columns` images side by side in a composite of
    /// `width x height` pixels (separators included; `height` is the images' own).
    struct Fold {
        let columns: Int
        let width: Int
        let height: Int
        var group: Int { columns }

        /// Top-left corner of slot `s` in the composite's interior.
        @inline(__always)
        func origin(_ s: Int, imageHeight: Int, imageWidth: Int) -> (y: Int, x: Int) {
            (0, s * (imageWidth + 1))
        }
    }

    static let foldedWidth = 64

    /// The fold for `g`, or nil when the shape is not a small 3x3 stride-1 convolution.
    static func fold(for g: ConvGeometry) -> Fold? {
        guard g.kernel == 3 && g.stride == 1 && g.padding == 1, g.width >= 2, g.width < 16 else { return nil }
        let columns = (foldedWidth + 1) / (g.width + 1)
        guard columns >= 2 else { return nil }
        return Fold(columns: columns, width: foldedWidth, height: g.height)
    }

    /// Writes images `images` of `src` (each `[channels, height, width]`) into zero-padded
    /// composite planes `[channels, fold.height + 2, fold.width + 2]`.
    static func padFolded(_ src: UnsafePointer<Float>, channels: Int, height: Int, width: Int, images: Range<Int>,
                          fold: Fold, into dst: UnsafeMutablePointer<Float>) {
        let pw = fold.width + 2, plane = (fold.height + 2) * pw
        dst.update(repeating: 0, count: channels * plane)
        for (slot, n) in images.enumerated() {
            let o = fold.origin(slot, imageHeight: height, imageWidth: width)
            for c in 0 ..< channels {
                let s = src + (n * channels + c) * height * width
                let d = dst + c * plane + (o.y + 1) * pw + 1 + o.x
                for y in 0 ..< height {
                    for x in 0 ..< width { d[y * pw + x] = s[y * width + x] }
                }
            }
        }
    }

    /// The same placement without padding, `[channels, fold.height, fold.width]` (the
    /// layout the weight-gradient kernel reads the output gradient in).
    static func placeFolded(_ src: UnsafePointer<Float>, channels: Int, height: Int, width: Int, images: Range<Int>,
                            fold: Fold, into dst: UnsafeMutablePointer<Float>) {
        let plane = fold.height * fold.width
        dst.update(repeating: 0, count: channels * plane)
        for (slot, n) in images.enumerated() {
            let o = fold.origin(slot, imageHeight: height, imageWidth: width)
            for c in 0 ..< channels {
                let s = src + (n * channels + c) * height * width
                let d = dst + c * plane + o.y * fold.width + o.x
                for y in 0 ..< height {
                    for x in 0 ..< width { d[y * fold.width + x] = s[y * width + x] }
                }
            }
        }
    }

    /// The inverse of `placeFolded`: copies each image's columns out of a composite output.
    static func unfold(_ src: UnsafePointer<Float>, channels: Int, height: Int, width: Int, images: Range<Int>,
                       fold: Fold, into dst: UnsafeMutablePointer<Float>) {
        let plane = fold.height * fold.width
        for (slot, n) in images.enumerated() {
            let o = fold.origin(slot, imageHeight: height, imageWidth: width)
            for c in 0 ..< channels {
                let s = src + c * plane + o.y * fold.width + o.x
                let d = dst + (n * channels + c) * height * width
                for y in 0 ..< height {
                    for x in 0 ..< width { d[y * width + x] = s[y * fold.width + x] }
                }
            }
        }
    }

    /// Forward (or, with flipped weights, backward-data) over folded composites: `source`
    /// has `inChannels` per image, `destination` gets `outChannels` per image.
    static func convolveFolded(_ g: ConvGeometry, fold: Fold, source: UnsafePointer<Float>, inChannels: Int,
                               packed: UnsafePointer<Float>, outChannels: Int, destination: UnsafeMutablePointer<Float>) {
        let composites = (g.batch + fold.group - 1) / fold.group
        let (h, w) = (g.height, g.width)
        Parallel.forChunks(composites) { mine in
            let paddedCount = inChannels * (fold.height + 2) * (fold.width + 2), outCount = outChannels * fold.height * fold.width
            Scratch.withBuffer(count: paddedCount + outCount) { scratch in
                let padded = scratch, out = scratch + paddedCount
                for q in mine {
                    let images = q * fold.group ..< min(g.batch, (q + 1) * fold.group)
                    padFolded(source, channels: inChannels, height: h, width: w, images: images, fold: fold, into: padded)
                    convolve(padded: padded, inChannels: inChannels, height: fold.height, width: fold.width, packed: packed,
                             outChannels: outChannels, out: out)
                    unfold(out, channels: outChannels, height: h, width: w, images: images, fold: fold, into: destination)
                }
            }
        }
    }

    /// Adds the weight gradient of `images` to `dw` on the calling thread.
    static func accumulateWeightGradientFolded(_ g: ConvGeometry, fold: Fold, x: UnsafePointer<Float>,
                                               dy: UnsafePointer<Float>, images: Range<Int>, dw: UnsafeMutablePointer<Float>) {
        let (h, w) = (g.height, g.width)
        let paddedCount = g.inChannels * (fold.height + 2) * (fold.width + 2)
        let gradCount = g.outChannels * fold.height * fold.width
        withTapSums(dw, outputs: 0 ..< g.outChannels, inChannels: g.inChannels) { sums in
            Scratch.withBuffer(count: paddedCount + gradCount) { scratch in
                let padded = scratch, grad = scratch + paddedCount
                var start = images.lowerBound
                while start < images.upperBound {
                    let group = start ..< min(images.upperBound, start + fold.group)
                    padFolded(x, channels: g.inChannels, height: h, width: w, images: group, fold: fold, into: padded)
                    placeFolded(dy, channels: g.outChannels, height: h, width: w, images: group, fold: fold,
                                into: grad)
                    accumulateWeightGradient(padded: padded, inChannels: g.inChannels, height: fold.height,
                                             width: fold.width, dy: grad, outChannels: g.outChannels, sums: sums)
                    start = group.upperBound
                }
            }
        }
    }
}
