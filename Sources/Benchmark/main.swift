import LessonKit
import SimCLR
import Foundation

// Scratch profiling driver (the benchmark proper lives on the bench branch).
func cpu() -> Double { var t = timespec(); clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t); return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9 }
Parallel.threadCount = 1
for (c, hw) in [(16, 32), (32, 16), (64, 8), (128, 4)] {
    let geo = ConvGeometry(batch: 64, inChannels: c, height: hw, width: hw, outChannels: c, kernel: 3, stride: 1, padding: 1)
    var x = [Float](repeating: 0, count: geo.batch*geo.inputImageSize); for i in x.indices { x[i] = Float(i % 7) - 3 }
    var w = [Float](repeating: 0, count: geo.weightCount); for i in w.indices { w[i] = Float(i % 5) - 2 }
    var y = [Float](repeating: 0, count: geo.batch*geo.outputImageSize)
    var dx = x, dw = w
    var tf = 1e9, td = 1e9, tw = 1e9
    for _ in 0..<5 {
        var t0 = cpu(); conv2dForwardOptimized(geo, x: x, w: w, y: &y); tf = min(tf, cpu()-t0)
        t0 = cpu(); conv2dBackwardDataOptimized(geo, dy: y, w: w, dx: &dx); td = min(td, cpu()-t0)
        t0 = cpu(); conv2dBackwardWeightsOptimized(geo, x: x, dy: y, dw: &dw); tw = min(tw, cpu()-t0)
    }
    let flop = 2.0 * Double(geo.multiplyAdds)
    print("C\(c) \(hw)x\(hw): fwd \(String(format: "%.0f", flop/tf/1e9)) bwdData \(String(format: "%.0f", flop/td/1e9)) bwdW \(String(format: "%.0f", flop/tw/1e9)) GFLOP per cpu-second")
}
