/// Sizes of the reference implementations, as torchvision 0.26 reports them (counted
/// with `sum(p.numel() for p in model.parameters())` and a FLOP counter; the same numbers
/// are in Tests/Fixtures/model_facts.json). These are the "document" side of the checks:
/// ours are computed from the Swift models.
enum ModelFacts {
    struct Numbers {
        let imagenetTrunk18: Int
        let cifarTrunk64: Int
        let cifarTrunk16: Int
        let trunk50: Int
        let head512: Int
        let head2048: Int
        let flopsW16: Int
        let flopsW64: Int
        let flops50: Int
        /// `nn.Linear(2048, 101)`, the write-up's linear-evaluation head (PyTorch 2.15).
        let probe2048to101: Int
    }

    static let torchvision = Numbers(
        imagenetTrunk18: 11_176_512, cifarTrunk64: 11_168_832, cifarTrunk16: 700_176, trunk50: 23_508_032,
        head512: 328_320, head2048: 1_114_752,
        flopsW16: 70_090_752, flopsW64: 1_110_835_200, flops50: 8_178_368_512,
        probe2048to101: 206_949)
}
