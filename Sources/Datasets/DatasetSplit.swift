/// Which part of a data set with a fixed train/test split to read.
public enum DatasetSplit: String, Sendable, CaseIterable, CustomStringConvertible {
    case train
    case test

    public var description: String { rawValue }
}
