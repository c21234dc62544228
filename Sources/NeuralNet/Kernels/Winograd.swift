import Core

/// Winograd's minimal filtering algorithm F(2x2, 3x3) for 3x3, stride-1, padding-1
/// convolutions (Lavin & Gray 2015, "Fast Algorithms for Convolutional Neural Networks",
/// section 4), and the matrices it is made of.
///
/// Done directly, a 2x2 block of outputs of one (output, input) channel pair takes
/// 2·2·9 = 36 multiplies. Winograd computes the same block from the 4x4 input tile `d` that
/// covers it and the 3x3 filter `g` as
///
///     Y = Aᵀ [ (G g Gᵀ) ⊙ (Bᵀ d B) ] A
///
/// with only the 16 multiplies of the elementwise product ⊙ (2.25x fewer); the transforms
/// are additions and halvings. A convolution sums over input channels, and the sum can be
/// taken before the output transform, in the transformed domain:
///
///     U = G g Gᵀ          for every (output, input) channel pair    (filter transform)
///     V = Bᵀ d B          for every 4x4 input tile and input channel (input transform)
///     M = Σ_ci U ⊙ V      for every tile and output channel
///     Y = Aᵀ M A          the tile's 2x2 outputs                    (output transform)
///
/// The matrices (the paper's equation 7, one dimension F(2, 3); the 2-D algorithm nests it):
///
///          ⎡1  0 -1  0⎤         ⎡ 1    0    0 ⎤
///     Bᵀ = ⎢0  1  1  0⎥     G = ⎢1/2  1/2  1/2⎥     Aᵀ = ⎡1  1  1  0⎤
///          ⎢0 -1  1  0⎥         ⎢1/2 -1/2  1/2⎥          ⎣0  1 -1 -1⎦
///          ⎣0  1  0 -1⎦         ⎣ 0    0    1 ⎦
///
/// In one dimension, outputs y0 = d0 g0 + d1 g1 + d2 g2 and y1 = d1 g0 + d2 g1 + d3 g2 come
/// from the four products m0 = (d0 - d2) g0, m1 = (d1 + d2)(g0 + g1 + g2)/2,
/// m2 = (d2 - d1)(g0 - g1 + g2)/2, m3 = (d1 - d3) g2 as y0 = m0 + m1 + m2, y1 = m1 - m2 - m3.
///
/// Tiles: output tile (ty, tx) is the 2x2 block at rows 2ty, 2ty+1 and columns 2tx, 2tx+1;
/// its input tile is the 4x4 block starting at row 2ty - 1 and column 2tx - 1 (the padding
/// of 1), so neighbouring tiles overlap by two rows or columns. Pixels outside the image are
/// zero; an odd height or width leaves a last row or column of tiles whose second output is
/// computed and dropped.
///
/// The backward passes reuse the same matrices:
/// - the input gradient of a 3x3 stride-1 padding-1 convolution is itself one, of `dy` with
///   each filter rotated by 180° and input and output channels swapped, so it is the forward
///   algorithm with those weights;
/// - the weight gradient is the gradient of Y with respect to g in the formula above, summed
///   over tiles: `dg = Gᵀ [ Σ_tiles (A dY Aᵀ) ⊙ (Bᵀ d B) ] G`, with the tile's 2x2 output
///   gradient `dY` (zero where the tile's outputs lie beyond the image) expanded to 4x4 by
///   the output transform's transpose, and the 4x4 sum reduced to 3x3 by the filter
///   transform's.
package enum Winograd {
    /// Bᵀ, the input transform's left matrix (4x4): V = Bᵀ d B.
    static let inputTransformBt: [[Float]] = [
        [1, 0, -1, 0],
        [0, 1, 1, 0],
        [0, -1, 1, 0],
        [0, 1, 0, -1],
    ]
    /// G, the filter transform's left matrix (4x3): U = G g Gᵀ.
    static let filterTransformG: [[Float]] = [
        [1, 0, 0],
        [0.5, 0.5, 0.5],
        [0.5, -0.5, 0.5],
        [0, 0, 1],
    ]
    /// Aᵀ, the output transform's left matrix (2x4): Y = Aᵀ M A.
    static let outputTransformAt: [[Float]] = [
        [1, 1, 1, 0],
        [0, 1, -1, -1],
    ]

    /// The product of two small matrices, as written: `c[i][j] = Σ_k a[i][k] · b[k][j]`.
    static func product(_ a: [[Float]], _ b: [[Float]]) -> [[Float]] {
        var c = [[Float]](repeating: [Float](repeating: 0, count: b[0].count), count: a.count)
        for i in 0 ..< a.count {
            for j in 0 ..< b[0].count {
                var sum: Float = 0
                for k in 0 ..< b.count { sum += a[i][k] * b[k][j] }
                c[i][j] = sum
            }
        }
        return c
    }

    static func transposed(_ a: [[Float]]) -> [[Float]] {
        (0 ..< a[0].count).map { j in (0 ..< a.count).map { i in a[i][j] } }
    }

    /// U = G g Gᵀ: a 3x3 filter to its 4x4 transform.
    static func filterTransform(_ g: [[Float]]) -> [[Float]] {
        product(product(filterTransformG, g), transposed(filterTransformG))
    }

    /// V = Bᵀ d B: a 4x4 input tile to its transform.
    static func inputTransform(_ d: [[Float]]) -> [[Float]] {
        product(product(inputTransformBt, d), transposed(inputTransformBt))
    }

    /// Y = Aᵀ M A: a 4x4 product sum to the tile's 2x2 outputs.
    static func outputTransform(_ m: [[Float]]) -> [[Float]] {
        product(product(outputTransformAt, m), transposed(outputTransformAt))
    }

    /// A dY Aᵀ: a tile's 2x2 output gradient to 4x4 (the transpose of `outputTransform`).
    static func outputGradientTransform(_ dy: [[Float]]) -> [[Float]] {
        product(product(transposed(outputTransformAt), dy), outputTransformAt)
    }

    /// Gᵀ P G: a 4x4 sum of products to the 3x3 filter gradient (the transpose of `filterTransform`).
    static func filterGradientTransform(_ p: [[Float]]) -> [[Float]] {
        product(product(transposed(filterTransformG), p), filterTransformG)
    }

    /// The 4x4 input tile of output tile (ty, tx) from one `height x width` plane, zero
    /// outside it.
    static func inputTile(_ plane: UnsafePointer<Float>, height: Int, width: Int, ty: Int, tx: Int) -> [[Float]] {
        (0 ..< 4).map { r in
            (0 ..< 4).map { c in
                let iy = 2 * ty - 1 + r, ix = 2 * tx - 1 + c
                return iy >= 0 && iy < height && ix >= 0 && ix < width ? plane[iy * width + ix] : 0
            }
        }
    }

    /// Whether Winograd F(2x2, 3x3) computes the convolution `g`: 3x3, stride 1, padding 1
    /// (any channel counts and image sizes).
    static func applies(_ g: ConvGeometry) -> Bool {
        g.kernel == 3 && g.stride == 1 && g.padding == 1
    }

    /// Multiply-adds of one pass of `g` by Winograd: 16 per 2x2 output tile and channel pair
    /// (the elementwise products the GEMMs compute; the transforms are additions), against
    /// `g.multiplyAdds`' 36 for the direct sum. An odd height or width still pays for the
    /// whole last tile.
    package static func multiplyAdds(_ g: ConvGeometry) -> Int {
        g.batch * ((g.height + 1) / 2) * ((g.width + 1) / 2) * 16 * g.inChannels * g.outChannels
    }

    /// The geometry of the backward-data convolution as a forward one: `dy` is its input,
    /// `dx` its output, input and output channels swapped.
    static func backwardDataGeometry(_ g: ConvGeometry) -> ConvGeometry {
        ConvGeometry(batch: g.batch, inChannels: g.outChannels, height: g.height, width: g.width,
                     outChannels: g.inChannels, kernel: 3, stride: 1, padding: 1)
    }

    /// The backward-data convolution's weights `[inChannels, outChannels, 3, 3]` from the
    /// forward ones: channels swapped, taps rotated by 180°, `w'[ci, co, a, b] = w[co, ci, 2-a, 2-b]`.
    static func flippedWeights(_ g: ConvGeometry, _ w: UnsafePointer<Float>) -> [Float] {
        var flipped = [Float](repeating: 0, count: g.weightCount)
        for co in 0 ..< g.outChannels {
            for ci in 0 ..< g.inChannels {
                for tap in 0 ..< 9 {
                    flipped[(ci * g.outChannels + co) * 9 + tap] = w[(co * g.inChannels + ci) * 9 + (8 - tap)]
                }
            }
        }
        return flipped
    }
}
