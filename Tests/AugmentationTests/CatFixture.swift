import Augmentation
import Imaging
import TestSupport

/// CIFAR-10 `test/cat/0000.jpg` and torchvision's outputs on it (`augment_cat0000.json`).
struct CatFixture {
    let fixture: Fixture
    /// The float CHW image torchvision started from.
    let image: PlanarImage
    /// The same pixels as 8-bit RGB (the pipeline's input type).
    let rgb: RGBImage

    init() throws {
        fixture = try Fixture("augment_cat0000")
        let t = try fixture.tensor("image")
        image = PlanarImage(channels: t.shape[0], height: t.shape[1], width: t.shape[2], data: t.data)
        let bytes = try fixture.tensor("image_uint8_hwc")
        rgb = RGBImage(width: bytes.shape[1], height: bytes.shape[0], pixels: bytes.data.map { UInt8($0) })
    }

    /// torchvision's output called `key`.
    func expected(_ key: String) throws -> [Float] { try fixture.tensor(key).data }
}

/// A pipeline that changes nothing by itself (every probability 0, no blur, no
/// normalization), so that hand-made `ViewParameters` select exactly one transform.
func neutralPipeline(size: Int, antialias: Bool = true, blurKernel: Int? = nil,
                     normalization: Normalization? = nil) -> AugmentationPipeline {
    AugmentationPipeline(crop: RandomResizedCrop(size: size, antialias: antialias),
                         flip: RandomHorizontalFlip(probability: 0),
                         jitter: ColorJitter(probability: 0), grayscale: RandomGrayscale(probability: 0),
                         blur: blurKernel.map { GaussianBlur(kernelSize: $0, probability: 0) },
                         normalization: normalization)
}

/// Jitter parameters with only `operation` set.
func onlyJitter(_ operation: JitterOperation, _ factor: Float) -> JitterParameters {
    JitterParameters(brightness: operation == .brightness ? factor : nil,
                     contrast: operation == .contrast ? factor : nil,
                     saturation: operation == .saturation ? factor : nil,
                     hue: operation == .hue ? factor : nil)
}
