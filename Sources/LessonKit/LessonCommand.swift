import ArgumentParser

/// A lesson's command: its executable's name and what it teaches make its `--help`.
///
/// Each lesson declares the two (`summary` is also the description its page and notebook show)
/// and gets its `CommandConfiguration` from them here; the flags every lesson shares are
/// `LessonOptions`.
public protocol LessonCommand: ParsableCommand {
    /// The executable, as typed after `swift run`: `Lesson1-Dataset`.
    static var commandName: String { get }
    /// What the lesson teaches, in one paragraph.
    static var summary: String { get }
}

extension LessonCommand {
    /// The name and the summary as `--help` shows them.
    public static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: commandName, abstract: summary)
    }
}
