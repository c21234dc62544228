// Breaks one library contract on purpose, named by the first argument, so a test can see
// the program stop with the contract's message although the library is built -Ounchecked
// (where Swift's `precondition` would not be evaluated). Used only by ContractTests.
import SimCLR

var generator = SeededGenerator(seed: 0)
switch CommandLine.arguments.dropFirst().first {
case "conv-channels":
    // A 3-channel convolution fed 4 channels.
    let conv = Conv2d(name: "conv", inChannels: 3, outChannels: 8, kernel: 3, padding: 1, generator: &generator)
    _ = conv.forward(Tensor(shape: [1, 4, 8, 8], data: [Float](repeating: 0, count: 256)), training: false)
case "image-pixels":
    // A 2x2 RGB image needs 12 bytes, not 3.
    _ = RGBImage(width: 2, height: 2, pixels: [1, 2, 3])
case "crop-outside":
    // A crop box that reaches past the image's right edge.
    let image = PlanarImage(height: 8, width: 8, data: [Float](repeating: 0, count: 3 * 64))
    _ = image.resizedCrop(CropBox(top: 0, left: 4, height: 8, width: 8), height: 4, width: 4)
case "tensor-count":
    _ = Tensor(shape: [2, 3], data: [1, 2, 3])
default:
    print("usage: ContractProbe conv-channels|image-pixels|crop-outside|tensor-count")
}
print("no contract stopped the program")
