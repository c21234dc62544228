import Core

/// PyTorch's default initialisation of `nn.Conv2d` and `nn.Linear` weights.
///
/// It is `kaiming_uniform_(w, a: sqrt(5))`, i.e. U(-b, b) with `b = gain · sqrt(3 / fanIn)`,
/// `gain = sqrt(2 / (1 + a²)) = sqrt(1/3)`, which simplifies to `b = 1 / sqrt(fanIn)`.
/// (torchvision's ResNet re-initialises convolutions with Kaiming-normal fan-out; the
/// project follows the plain layer defaults, as the lessons' issue asks.)
public func kaimingUniform(shape: [Int], fanIn: Int, generator: inout SeededGenerator) -> Tensor {
    let bound = 1 / Float(fanIn).squareRoot()
    let count = shape.reduce(1, *)
    return Tensor(shape: shape, data: (0 ..< count).map { _ in generator.uniform(-bound, bound) })
}

/// PyTorch's default bias initialisation for `nn.Linear`: U(-1/sqrt(fanIn), 1/sqrt(fanIn)).
public func biasUniform(count: Int, fanIn: Int, generator: inout SeededGenerator) -> Tensor {
    let bound = 1 / Float(fanIn).squareRoot()
    return Tensor(shape: [count], data: (0 ..< count).map { _ in generator.uniform(-bound, bound) })
}
