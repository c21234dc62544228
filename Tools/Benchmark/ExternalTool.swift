import Foundation
import SimCLR

/// Runs the side-by-side Python scripts (numpy, PyTorch) as child processes.
///
/// Their standard output is captured (one JSON object per line); their standard error
/// goes straight to the terminal, so progress such as the first-time creation of the
/// PyTorch virtual environment is visible.
enum ExternalTool {
    struct Output {
        let status: Int32
        let standardOutput: String
    }

    /// Runs `executable arguments` and waits for it.
    /// - Throws: when the executable cannot be started at all.
    static func run(executable: String, arguments: [String], currentDirectory: URL? = nil,
                    passStandardError: Bool = false) throws -> Output {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let currentDirectory { process.currentDirectoryURL = currentDirectory }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = passStandardError ? FileHandle.standardError : FileHandle.nullDevice
        try process.run()
        // Read before waiting: a child that fills the pipe would otherwise block forever.
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Output(status: process.terminationStatus, standardOutput: String(decoding: data, as: UTF8.self))
    }

    /// Runs a script of `scripts/bench/` with `python` and decodes each line of its output
    /// that is a JSON object into `T`; other lines are ignored.
    ///
    /// - Parameters:
    ///   - unsetting: environment variables removed for this command only (`env -u`).
    /// - Returns: the decoded records, or a one-line reason why there are none.
    static func runScript<T: Decodable>(_ script: String, arguments: [String], python: String,
                                        unsetting: [String] = [], as: T.Type) -> Result<[T], ScriptFailure> {
        let root = projectRoot
        let path = root.appendingPathComponent("scripts/bench/\(script)")
        guard FileManager.default.fileExists(atPath: path.path) else {
            return .failure(ScriptFailure("scripts/bench/\(script) not found under \(root.path); run from the project"))
        }
        let envArguments = unsetting.flatMap { ["-u", $0] } + [python, path.path] + arguments
        let output: Output
        do {
            output = try run(executable: "/usr/bin/env", arguments: envArguments, currentDirectory: root,
                             passStandardError: true)
        } catch {
            return .failure(ScriptFailure("could not start /usr/bin/env \(python): \(error)"))
        }
        let lines = output.standardOutput.split(separator: "\n").filter { $0.hasPrefix("{") }
        let decoder = JSONDecoder()
        if let first = lines.first, let failure = try? decoder.decode(ScriptError.self, from: Data(first.utf8)) {
            return .failure(ScriptFailure(failure.error))
        }
        guard output.status == 0 else {
            let reason = output.status == 127 ? "\(python) not found" : "exit status \(output.status)"
            return .failure(ScriptFailure("\(script) failed (\(reason))"))
        }
        do {
            return .success(try lines.map { try decoder.decode(T.self, from: Data($0.utf8)) })
        } catch {
            return .failure(ScriptFailure("\(script) printed a line the benchmark cannot read: \(error)"))
        }
    }

    /// The folder holding `Package.swift` above the current directory.
    static var projectRoot: URL { DataLocator.projectRoot() }
}

/// Why a side-by-side script gave no numbers, in one line.
struct ScriptFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// The one-line error a script prints as `{"error": "..."}` when it cannot measure.
private struct ScriptError: Decodable {
    let error: String
}
