import LessonKit
import SimCLR
import Foundation

// Scratch profiling driver (the benchmark proper lives on the bench branch).
func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }
func cpu() -> Double { var t = timespec(); clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t); return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9 }
var g = SeededGenerator(seed: 1)
let steps = Int(CommandLine.arguments.dropFirst().first ?? "3")!
let model = SimCLRModel(.classroom, generator: &g)
let views = Tensor(shape: [512, 3, 32, 32], data: (0..<512*3*1024).map { _ in g.uniform(Float(-1), 1) })
let sgd = SGD()
print("allocator tuned:", Allocator.isTuned)
for it in 0..<steps {
    let t0 = now(), c0 = cpu()
    let r = model.trainStep(views: views, loss: NTXent(temperature: 0.5), optimizer: sgd, lr: 0.06)
    let wall = now() - t0, c = cpu() - c0
    print(it, String(format: "wall %.3fs cpu %.3fs loss %.3f -> %.0f images/s wall, %.0f images per 2 cpu-seconds", wall, c, r.loss, 256/wall, 512/c))
}
