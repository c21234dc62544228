import LessonKit
import SimCLR
import Foundation

func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }
var g = SeededGenerator(seed: 1)
let batch = 512
Parallel.threadCount = Int(CommandLine.arguments.dropFirst().first ?? "1")!
var total = 0.0
for (c, hw, s, k, count) in [(3, 32, 1, 3, 1), (16, 32, 1, 3, 4), (16, 32, 2, 3, 1), (16, 32, 2, 1, 1), (32, 16, 1, 3, 3), (32, 16, 2, 3, 1), (32, 16, 2, 1, 1), (64, 8, 1, 3, 3), (64, 8, 2, 3, 1), (64, 8, 2, 1, 1), (128, 4, 1, 3, 3)] {
    let geo = ConvGeometry(batch: batch, inChannels: c, height: hw, width: hw, outChannels: c == 3 ? 16 : (s == 2 ? 2*c : c), kernel: k, stride: s, padding: k == 3 ? 1 : 0)
    let x = (0..<geo.batch*geo.inputImageSize).map { _ in g.uniform(Float(-1), 1) }
    let w = (0..<geo.weightCount).map { _ in g.uniform(Float(-1), 1) }
    var y = [Float](repeating: 0, count: geo.batch*geo.outputImageSize)
    var dx = x, dw = w
    var tf = 1e9, td = 1e9, tw = 1e9
    for _ in 0..<3 {
        var t0 = now(); conv2dForwardOptimized(geo, x: x, w: w, y: &y); tf = min(tf, now()-t0)
        t0 = now(); conv2dBackwardDataOptimized(geo, dy: y, w: w, dx: &dx); td = min(td, now()-t0)
        t0 = now(); conv2dBackwardWeightsOptimized(geo, x: x, dy: y, dw: &dw); tw = min(tw, now()-t0)
    }
    let flop = 2.0 * Double(geo.multiplyAdds)
    let t = (tf + (c == 3 ? 0 : td) + tw) * Double(count)
    total += t
    print("C\(c) \(hw)x\(hw) k\(k) s\(s) x\(count): fwd \(String(format: "%.0f", flop/tf/1e9)) bwdData \(String(format: "%.0f", flop/td/1e9)) bwdW \(String(format: "%.0f", flop/tw/1e9)) GFLOP/s  total \(String(format: "%.0f", t*1000)) ms")
}
print("all convs fwd+bwd:", String(format: "%.0f ms", total*1000))
