import Core
import NeuralNet
import TestSupport
import XCTest

final class ResNetTests: XCTestCase {
    /// The fixture's model names its layers `stem.0`, `layers.3.c1`, `layers.2.sc.1`, …; ours
    /// follow torchvision (`conv1`, `layer2.1.conv1`, `layer2.0.downsample.1`, …).
    static func fixtureName(for ours: String) -> String {
        var parts = ours.split(separator: ".").map(String.init)
        if parts[0] == "conv1" { return "stem.0." + parts[1] }
        if parts[0] == "bn1" { return "stem.1." + parts[1] }
        let stage = Int(parts[0].dropFirst(5))! - 1, block = Int(parts[1])!
        let index = stage * 2 + block
        let rename = ["conv1": "c1", "bn1": "b1", "conv2": "c2", "bn2": "b2", "downsample": "sc"]
        parts[2] = rename[parts[2]]!
        return (["layers", String(index)] + parts[2...]).joined(separator: ".")
    }

    /// A whole width-4 ResNet-18 in training mode against PyTorch: features h, the input
    /// gradient, and the gradient of every one of its 62 parameters; on the reference path,
    /// the optimized path with the library's kernels (at width 4, Winograd F(4x4) for layer4's
    /// 32 channels on 4x4 planes), and the optimized path with Winograd F(2x2) and then F(4x4)
    /// forced in every pass of every 3x3 stride-1 layer they take.
    func testResNet18Width4AgainstPyTorch() throws {
        let f = try Fixture("resnet18_w4_train")
        let x = try f.tensor("x"), gh = try f.tensor("gh")
        defer { ConvKernel.forced = nil }
        for (computePath, forced) in [(ComputePath.reference, nil), (.optimized, nil), (.optimized, ConvKernel.winograd),
                                         (.optimized, .winograd4x4)] {
            ConvKernel.forced = forced
            let path = forced.map { "\(computePath), \($0.rawValue) forced" } ?? "\(computePath)"
            try ComputePath.with(computePath) {
                var g = SeededGenerator(seed: 0)
                let net = ResNet(ResNetConfig(depth: .resnet18, width: 4, stem: .cifar), generator: &g)
                net.computesInputGradient = true
                XCTAssertEqual(net.parameters.count, (f.meta("params_in_order") as! [String]).count)
                XCTAssertEqual(net.parameterCount, f.meta("param_count") as! Int)
                for p in net.parameters {
                    let t = try f.tensor("param." + Self.fixtureName(for: p.name))
                    XCTAssertEqual(p.value.shape, t.shape, p.name)
                    p.value = Tensor(shape: t.shape, data: t.data)
                }
                let h = net.forward(Tensor(shape: x.shape, data: x.data), training: true)
                assertClose(h.data, try f.tensor("h").data, "resnet18-w4 h [\(path)]")
                let gx = net.backward(Tensor(shape: gh.shape, data: gh.data))
                assertClose(gx.data, try f.tensor("gx").data, rtol: 1e-3, atol: 1e-5, "resnet18-w4 gx [\(path)]")
                var worst = 0.0
                for p in net.parameters {
                    let expected = try f.tensor("grad." + Self.fixtureName(for: p.name)).data
                    // Gradients deep in the network sum many more terms: 1e-3 relative, and
                    // entries near zero within 1e-5 of the tensor's largest (a gradient of
                    // magnitude 20 has entries of 1e-3 whose last digits are rounding: F(4x4)'s,
                    // ten times the direct sums', moved one such entry of layer1.0.conv2 by 2e-5).
                    let scale = Double(expected.map { abs($0) }.max() ?? 1)
                    let c = compare(p.grad.data, expected, rtol: 1e-3, atol: max(1e-5, 1e-5 * scale),
                                    "  grad \(p.name) [\(path)]")
                    XCTAssertTrue(c.ok, c.description)
                    worst = max(worst, c.maxAbsoluteDifference)
                }
                print("resnet18-w4 [\(path)]: all \(net.parameters.count) parameter gradients checked, max |diff| \(worst)")
            }
        }
    }

    /// Parameter counts against torchvision (model_facts.json).
    func testParameterCountsMatchTorchvision() throws {
        let facts = try JSONSerialization.jsonObject(
            with: Data(contentsOf: Fixture.folder.appendingPathComponent("model_facts.json"))) as! [String: Int]
        var g = SeededGenerator(seed: 0)
        let cases: [(ResNetConfig, String)] = [
            (ResNetConfig(depth: .resnet18, width: 64, stem: .imagenet), "resnet18_imagenet_trunk"),
            (ResNetConfig(depth: .resnet18, width: 64, stem: .cifar), "resnet18_cifar_trunk_w64"),
            (ResNetConfig(depth: .resnet18, width: 16, stem: .cifar), "resnet18_cifar_trunk_w16"),
            (ResNetConfig(depth: .resnet50, width: 64, stem: .imagenet), "resnet50_imagenet_trunk"),
        ]
        for (config, key) in cases {
            let net = ResNet(config, generator: &g)
            print("\(config): \(net.parameterCount) parameters, torchvision \(facts[key]!)")
            XCTAssertEqual(net.parameterCount, facts[key]!, key)
        }
        XCTAssertEqual(ProjectionHead(inFeatures: 512, hidden: 512, outFeatures: 128, generator: &g).parameterCount,
                       facts["head_512_512_128"]!)
        XCTAssertEqual(ProjectionHead(inFeatures: 2048, hidden: 512, outFeatures: 128, generator: &g).parameterCount,
                       facts["head_2048_512_128"]!)
    }
}

extension ResNetTests {
    /// Forward FLOPs (2 x multiply-adds) against the counts in model_facts.json.
    func testFLOPsMatchReferenceCounts() throws {
        let facts = try JSONSerialization.jsonObject(
            with: Data(contentsOf: Fixture.folder.appendingPathComponent("model_facts.json"))) as! [String: Int]
        var g = SeededGenerator(seed: 0)
        // The ResNet-50 count is torchvision's whole classifier: the trunk plus its
        // 2048 -> 1000 fully connected layer (2 x 2,048,000 FLOPs); the CIFAR counts are trunks.
        let cases: [(ResNetConfig, Int, String, Int)] = [
            (ResNetConfig(depth: .resnet18, width: 16, stem: .cifar), 32, "resnet18_cifar_w16_forward_flops_per_image", 0),
            (ResNetConfig(depth: .resnet18, width: 64, stem: .cifar), 32, "resnet18_cifar_w64_forward_flops_per_image", 0),
            (ResNetConfig(depth: .resnet50, width: 64, stem: .imagenet), 224, "resnet50_imagenet_224_forward_flops_per_image",
             2 * 2048 * 1000),
        ]
        for (config, size, key, classifier) in cases {
            let flops = 2 * ResNet(config, generator: &g).multiplyAdds(height: size, width: size) + classifier
            print("\(config) at \(size)px: \(flops) FLOPs, reference \(facts[key]!)")
            XCTAssertEqual(flops, facts[key]!, key)
        }
    }
}

extension ResNetTests {
    /// A width-4 ResNet-50 with the ImageNet stem against PyTorch (our own fixture, made by
    /// scripts/torch/make_bottleneck_fixture.py): the 7x7 stride-2 stem, max pool, 1x1
    /// convolutions and bottleneck blocks, which the width-4 ResNet-18 does not cover.
    /// End to end it compares the features; the backward pass is checked block by block,
    /// each block fed PyTorch's exact input and output gradient (see the script for why).
    func testResNet50Width4AgainstPyTorch() throws {
        let url = Fixture.folder.appendingPathComponent("resnet50_w4_imagenet_blocks.safetensors")
        let (t, metadata) = try SafeTensors.read(url)
        let blockCount = Int(metadata["blocks"]!)!
        for path in ComputePath.allCases {
            try ComputePath.with(path) {
                var g = SeededGenerator(seed: 0)
                let net = ResNet(ResNetConfig(depth: .resnet50, width: 4, stem: .imagenet), generator: &g)
                let names = try JSONDecoder().decode([String].self, from: Data(metadata["params_in_order"]!.utf8))
                XCTAssertEqual(net.parameters.map(\.name), names)
                for p in net.parameters { p.value = t["param." + p.name]! }
                let h = net.forward(t["x"]!, training: true)
                // Tolerances scale with each tensor's largest value: float32 sums over
                // hundreds of terms, compared with a float64 reference.
                func scale(_ x: Tensor) -> Double { Double(x.data.map(abs).max() ?? 0) }
                assertClose(h.data, t["h"]!.data, rtol: 1e-3, atol: 1e-4 * scale(t["h"]!), "resnet50-w4 h [\(path)]")

                var failures: [String] = []
                for (i, block) in net.blocks.enumerated() {
                    let out = block.forward(t["block.\(i).input"]!, training: true)
                    let dy: Tensor
                    if i + 1 < blockCount {
                        dy = t["block.\(i + 1).input_grad"]!
                    } else {   // the global average pool spreads gh evenly over each plane
                        let plane = out.dim(2) * out.dim(3)
                        dy = Tensor(shape: out.shape, data: t["gh"]!.data.flatMap { [Float](repeating: $0 / Float(plane), count: plane) })
                    }
                    let dx = block.backward(dy)
                    let expected = t["block.\(i).input_grad"]!
                    if !compare(dx.data, expected.data, rtol: 1e-3, atol: 1e-4 * scale(expected), "  block \(i) dx [\(path)]").ok {
                        failures.append("block \(i) dx")
                    }
                    for p in block.parameters
                    where !compare(p.grad.data, t["grad." + p.name]!.data, rtol: 1e-3, atol: 1e-4 * scale(t["grad." + p.name]!),
                                   "  grad \(p.name) [\(path)]").ok {
                        failures.append(p.name)
                    }
                }
                // The stem: conv, batch norm, ReLU, max pool, given the first block's input gradient.
                var y = t["x"]!
                for layer in net.stem { y = layer.forward(y, training: true) }
                var d = t["block.0.input_grad"]!
                for layer in net.stem.reversed() { d = layer.backward(d) }
                for p in net.stem.flatMap(\.parameters)
                where !compare(p.grad.data, t["grad." + p.name]!.data, rtol: 1e-3, atol: 1e-4 * scale(t["grad." + p.name]!),
                               "  grad \(p.name) [\(path)]").ok {
                    failures.append(p.name)
                }
                print("resnet50-w4 [\(path)]: \(net.parameters.count) parameter gradients and \(blockCount) block input gradients checked, failures: \(failures)")
                XCTAssertEqual(failures, [])
            }
        }
    }
}
