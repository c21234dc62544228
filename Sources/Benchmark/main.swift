import LessonKit
import SimCLR
import Foundation

func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }
var g = SeededGenerator(seed: 1)
let batch = 512
Parallel.threadCount = Int(CommandLine.arguments.dropFirst().first ?? "1")!
for (c, hw, s) in [(16, 32, 1), (32, 16, 1), (64, 8, 1), (128, 4, 1), (16, 32, 2)] {
    let geo = ConvGeometry(batch: batch, inChannels: c, height: hw, width: hw, outChannels: s == 2 ? 2*c : c, kernel: 3, stride: s, padding: 1)
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
    print("C\(c) \(hw)x\(hw) s\(s): fwd \(String(format: "%.1f", flop/tf/1e9)) bwdData \(String(format: "%.1f", flop/td/1e9)) bwdW \(String(format: "%.1f", flop/tw/1e9)) GFLOP/s  (fwd \(String(format: "%.0f", tf*1000)) ms)")
}
