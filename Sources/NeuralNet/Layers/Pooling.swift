import Core

/// Global average pooling `[N, C, H, W] → [N, C]`: the ResNet's feature vector `h`.
public final class GlobalAveragePool: Layer {
    private var inputShape: [Int]?
    public init() {}
    public var parameters: [Parameter] { [] }

    public func forward(_ x: consuming Tensor, training: Bool) -> Tensor {
        contract(x.rank == 4, "GlobalAveragePool: expected [N, C, H, W], got \(x.shape)")
        let planes = x.dim(0) * x.dim(1), size = x.dim(2) * x.dim(3)
        inputShape = x.shape
        return Tensor(shape: [x.dim(0), x.dim(1)]) { y in
            x.withPointer { px in globalAveragePoolForward(px, y.baseAddress!, planes: planes, planeSize: size) }
        }
    }

    public func backward(_ dy: consuming Tensor) -> Tensor {
        guard let shape = inputShape else { contractFailure("GlobalAveragePool.backward before forward") }
        let planes = shape[0] * shape[1], size = shape[2] * shape[3]
        return Tensor(shape: shape) { dx in
            dy.withPointer { pdy in globalAveragePoolBackward(pdy, dx.baseAddress!, planes: planes, planeSize: size) }
        }
    }
}

/// Max pooling with a square window (the ImageNet stem's 3x3, stride 2, padding 1).
public final class MaxPool2d: Layer {
    public let window: Int
    public let stride: Int
    public let padding: Int
    private var inputShape: [Int]?
    private var argmax: [Int32] = []

    public init(window: Int = 3, stride: Int = 2, padding: Int = 1) {
        self.window = window
        self.stride = stride
        self.padding = padding
    }
    public var parameters: [Parameter] { [] }

    public func forward(_ x: consuming Tensor, training: Bool) -> Tensor {
        contract(x.rank == 4, "MaxPool2d: expected [N, C, H, W], got \(x.shape)")
        let (n, c, h, w) = (x.dim(0), x.dim(1), x.dim(2), x.dim(3))
        let oh = (h + 2 * padding - window) / stride + 1, ow = (w + 2 * padding - window) / stride + 1
        argmax = [Int32](repeating: 0, count: n * c * oh * ow)
        inputShape = x.shape
        return Tensor(shape: [n, c, oh, ow]) { y in
            x.withPointer { px in argmax.withUnsafeMutableBufferPointer { am in
                maxPoolForward(px, y.baseAddress!, argmax: am.baseAddress!, planes: n * c, height: h, width: w,
                               window: window, stride: stride, padding: padding)
            } }
        }
    }

    public func backward(_ dy: consuming Tensor) -> Tensor {
        guard let shape = inputShape else { contractFailure("MaxPool2d.backward before forward") }
        let inCount = shape.reduce(1, *)
        return Tensor(shape: shape) { dx in
            dy.withPointer { pdy in argmax.withUnsafeBufferPointer { am in
                maxPoolBackward(pdy, argmax: am.baseAddress!, outCount: dy.count, dx.baseAddress!, inCount: inCount)
            } }
        }
    }
}
