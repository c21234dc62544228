import Foundation
import Imaging

/// An interactive page for exploring embeddings: the t-SNE maps of several representations of
/// the same images side by side, and for a selected image its nearest neighbours in each
/// representation's full feature space.
///
/// One self-contained file: the thumbnails are one JPEG sprite sheet in a data URI, the maps
/// and the neighbour lists (computed in Swift, where the lesson computes everything else) are
/// JSON in the page, and the script only displays them. It fetches nothing, so it works opened
/// from disk. Every text that comes from the data (class names, representation names) reaches
/// the page through `textContent`, never as markup.
public struct EmbeddingExplorer {
    /// One representation: its 2-D map and each point's nearest neighbours.
    public struct Map: Encodable {
        /// The representation's name, e.g. "raw pixels".
        public let name: String
        /// Two coordinates per point, in the order of `EmbeddingExplorer.labels`.
        public let points: [Float]
        /// For each point, the positions of its nearest other points (in the full feature space),
        /// most similar first; every list has the same length, the largest k the page offers.
        public let neighbours: [[Int]]

        public init(name: String, points: [Float], neighbours: [[Int]]) {
            self.name = name
            self.points = points
            self.neighbours = neighbours
        }
    }

    public let title: String
    public let classNames: [String]
    /// The class of each point.
    public let labels: [Int]
    /// Each point's index in its data set, shown to the reader and used by the search box.
    public let imageIndices: [Int]
    /// Each point's picture (all the same size).
    public let thumbnails: [RGBImage]
    public let maps: [Map]
    /// What the page shows and how to use it: one short paragraph above the maps.
    public let introduction: String
    /// What to look for, shown in the side panel until an image is selected.
    public let lookFor: String
    /// Images worth selecting, each with why; the panel offers a button for each.
    public let suggestions: [Suggestion]
    /// The class colours, as CSS hex ("#1f77b4"), one per class.
    public let classColors: [String]

    /// An image worth selecting, and what it shows.
    public struct Suggestion: Encodable {
        public let text: String
        /// The image's index in its data set (one of `imageIndices`).
        public let imageIndex: Int

        public init(text: String, imageIndex: Int) {
            self.text = text
            self.imageIndex = imageIndex
        }
    }

    public init(title: String, classNames: [String], labels: [Int], imageIndices: [Int], thumbnails: [RGBImage],
                maps: [Map], introduction: String, lookFor: String, suggestions: [Suggestion], classColors: [String]) {
        self.title = title
        self.classNames = classNames
        self.labels = labels
        self.imageIndices = imageIndices
        self.thumbnails = thumbnails
        self.maps = maps
        self.introduction = introduction
        self.lookFor = lookFor
        self.suggestions = suggestions
        self.classColors = classColors
    }

    /// The neighbours the page shows before the reader moves its k slider.
    public static let defaultK = 10

    /// The page as HTML.
    ///
    /// - Throws: when the thumbnails cannot be encoded as JPEG.
    public func html() throws -> String {
        let side = thumbnails.first.map { ($0.width, $0.height) } ?? (32, 32)
        let columns = max(1, Int(Double(thumbnails.count).squareRoot().rounded(.up)))
        let sprite = try JPEG.encode(Self.sheet(thumbnails, columns: columns, side: side), quality: 88)
        struct Payload: Encodable {
            let title: String, classNames: [String], classColors: [String], labels: [Int], imageIndices: [Int]
            let maps: [Map], introduction: String, lookFor: String, suggestions: [Suggestion]
            let columns: Int, thumbWidth: Int, thumbHeight: Int, defaultK: Int
        }
        let payload = Payload(title: title, classNames: classNames, classColors: classColors, labels: labels,
                              imageIndices: imageIndices, maps: maps, introduction: introduction, lookFor: lookFor,
                              suggestions: suggestions, columns: columns,
                              thumbWidth: side.0, thumbHeight: side.1, defaultK: Self.defaultK)
        let json = String(decoding: try JSONEncoder().encode(payload), as: UTF8.self)
            // Nothing in the data can close the script element or read as markup or an entity.
            .replacingOccurrences(of: "<", with: "\\u003c").replacingOccurrences(of: ">", with: "\\u003e")
            .replacingOccurrences(of: "&", with: "\\u0026")
        return Self.template
            .replacingOccurrences(of: "{{TITLE}}", with: HTML.escape(title))
            .replacingOccurrences(of: "{{SPRITE}}", with: "data:image/jpeg;base64," + sprite.base64EncodedString())
            .replacingOccurrences(of: "{{DATA}}", with: json)
    }

    /// The thumbnails tiled row by row, `columns` to a row.
    static func sheet(_ images: [RGBImage], columns: Int, side: (Int, Int)) -> RGBImage {
        let (w, h) = side
        let rows = max(1, (images.count + columns - 1) / columns)
        var pixels = [UInt8](repeating: 255, count: columns * w * rows * h * 3)
        for (i, image) in images.enumerated() where image.width == w && image.height == h {
            let x0 = (i % columns) * w, y0 = (i / columns) * h
            for y in 0 ..< h {
                let from = y * w * 3, to = ((y0 + y) * columns * w + x0) * 3
                pixels.replaceSubrange(to ..< to + w * 3, with: image.pixels[from ..< from + w * 3])
            }
        }
        return RGBImage(width: columns * w, height: rows * h, pixels: pixels)
    }
}
