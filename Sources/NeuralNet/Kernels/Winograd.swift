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
    /// One of the paper's algorithms F(m x m, 3x3): `m x m` outputs per tile from an
    /// `(m+2) x (m+2)` input tile, with `(m+2)²` multiplies per tile and channel pair.
    package struct Algorithm: Sendable, Equatable {
        /// Outputs per tile side (2 or 4).
        package let m: Int
        /// Bᵀ, the input transform's left matrix ((m+2) x (m+2)): V = Bᵀ d B.
        let inputTransformBt: [[Float]]
        /// G, the filter transform's left matrix ((m+2) x 3): U = G g Gᵀ.
        let filterTransformG: [[Float]]
        /// Aᵀ, the output transform's left matrix (m x (m+2)): Y = Aᵀ M A.
        let outputTransformAt: [[Float]]

        /// The input tile's side, m + 2.
        package var n: Int { m + 2 }
        /// Points of a transformed tile: (m+2)², one GEMM each.
        package var points: Int { n * n }

        /// F(2x2, 3x3), the paper's equation 7 (above).
        package static let f2x2 = Algorithm(
            m: 2,
            inputTransformBt: [[1, 0, -1, 0], [0, 1, 1, 0], [0, -1, 1, 0], [0, 1, 0, -1]],
            filterTransformG: [[1, 0, 0], [0.5, 0.5, 0.5], [0.5, -0.5, 0.5], [0, 0, 1]],
            outputTransformAt: [[1, 1, 1, 0], [0, 1, -1, -1]])

        /// F(4x4, 3x3), the paper's section 4.2 (interpolation points 0, ±1, ±2 and ∞): 36
        /// multiplies per 4x4 output tile and channel pair against the direct sum's 144 (4x) and
        /// F(2x2)'s 64 for the same outputs. The larger tile rounds more: its transforms multiply
        /// by up to 8 and by fractions (sixths) that a float cannot hold exactly
        /// (`Winograd4x4Tests` measures the error).
        package static let f4x4 = Algorithm(
            m: 4,
            inputTransformBt: [[4, 0, -5, 0, 1, 0],
                               [0, -4, -4, 1, 1, 0],
                               [0, 4, -4, -1, 1, 0],
                               [0, -2, -1, 2, 1, 0],
                               [0, 2, -1, -2, 1, 0],
                               [0, 4, 0, -5, 0, 1]],
            filterTransformG: [[Winograd4x4.quarter, 0, 0],
                               [-Winograd4x4.sixth, -Winograd4x4.sixth, -Winograd4x4.sixth],
                               [-Winograd4x4.sixth, Winograd4x4.sixth, -Winograd4x4.sixth],
                               [Winograd4x4.twentyFourth, Winograd4x4.twelfth, Winograd4x4.sixth],
                               [Winograd4x4.twentyFourth, -Winograd4x4.twelfth, Winograd4x4.sixth],
                               [0, 0, 1]],
            outputTransformAt: [[1, 1, 1, 1, 1, 0],
                                [0, 1, -1, 2, -2, 0],
                                [0, 1, 1, 4, 4, 0],
                                [0, 1, -1, 8, -8, 1]])
    }

    /// Bᵀ of F(2x2, 3x3) (4x4): V = Bᵀ d B.
    static var inputTransformBt: [[Float]] { Algorithm.f2x2.inputTransformBt }
    /// G of F(2x2, 3x3) (4x3): U = G g Gᵀ.
    static var filterTransformG: [[Float]] { Algorithm.f2x2.filterTransformG }
    /// Aᵀ of F(2x2, 3x3) (2x4): Y = Aᵀ M A.
    static var outputTransformAt: [[Float]] { Algorithm.f2x2.outputTransformAt }

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

    /// U = G g Gᵀ: a 3x3 filter to its n x n transform.
    static func filterTransform(_ g: [[Float]], _ a: Algorithm = .f2x2) -> [[Float]] {
        product(product(a.filterTransformG, g), transposed(a.filterTransformG))
    }

    /// V = Bᵀ d B: an n x n input tile to its transform.
    static func inputTransform(_ d: [[Float]], _ a: Algorithm = .f2x2) -> [[Float]] {
        product(product(a.inputTransformBt, d), transposed(a.inputTransformBt))
    }

    /// Y = Aᵀ M A: an n x n product sum to the tile's m x m outputs.
    static func outputTransform(_ m: [[Float]], _ a: Algorithm = .f2x2) -> [[Float]] {
        product(product(a.outputTransformAt, m), transposed(a.outputTransformAt))
    }

    /// A dY Aᵀ: a tile's m x m output gradient to n x n (the transpose of `outputTransform`).
    static func outputGradientTransform(_ dy: [[Float]], _ a: Algorithm = .f2x2) -> [[Float]] {
        product(product(transposed(a.outputTransformAt), dy), a.outputTransformAt)
    }

    /// Gᵀ P G: an n x n sum of products to the 3x3 filter gradient (the transpose of
    /// `filterTransform`).
    static func filterGradientTransform(_ p: [[Float]], _ a: Algorithm = .f2x2) -> [[Float]] {
        product(product(transposed(a.filterTransformG), p), a.filterTransformG)
    }

    /// The n x n input tile of output tile (ty, tx) from one `height x width` plane, zero
    /// outside it: rows from m·ty - 1, columns from m·tx - 1.
    static func inputTile(_ plane: UnsafePointer<Float>, height: Int, width: Int, ty: Int, tx: Int,
                          _ a: Algorithm = .f2x2) -> [[Float]] {
        (0 ..< a.n).map { r in
            (0 ..< a.n).map { c in
                let iy = a.m * ty - 1 + r, ix = a.m * tx - 1 + c
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
