/// A run a lesson refuses, in one line that says what was wrong and what to change
/// (printed by the argument parser as `Error: <description>`, exit code 1).
public struct LessonError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
