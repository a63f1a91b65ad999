import Foundation

/// Renders a `ReviewReport` as JSON (schema in docs/json-schema.md): keys sorted, dates in
/// ISO 8601, optional values left out when absent. Characters that a terminal could act on (DEL,
/// C1 controls, bidi controls) are written as `\u` escapes, like the C0 controls JSON already escapes.
public struct JSONRenderer: Sendable {
    public var pretty: Bool
    public init(pretty: Bool = true) { self.pretty = pretty }

    public func render(_ report: ReviewReport) throws -> String {
        try Self.encode(report, pretty: pretty)
    }

    /// Decodes a report written by `render`.
    public static func decode(_ text: String) throws -> ReviewReport {
        let d = JSONDecoder()
        d.dateDecodingStrategy = .iso8601
        return try d.decode(ReviewReport.self, from: Data(text.utf8))
    }

    static func encode<T: Encodable>(_ value: T, pretty: Bool) throws -> String {
        let enc = JSONEncoder()
        enc.outputFormatting = pretty ? [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
        enc.dateEncodingStrategy = .iso8601
        let s = String(decoding: try enc.encode(value), as: UTF8.self)
        return escapeUnsafe(s) + "\n"
    }

    /// Replaces raw DEL, C1 and format-control characters (only possible inside JSON strings) by
    /// `\uXXXX` escapes: the same JSON value, but nothing a terminal interprets. Every JSON output of
    /// the tool goes through this one rule (`SafeText.isUnsafe`).
    public static func escapeUnsafe(_ s: String) -> String {
        guard s.unicodeScalars.contains(where: SafeText.isUnsafe) else { return s }
        var out = ""
        out.reserveCapacity(s.utf8.count + 64)
        for u in s.unicodeScalars {
            if SafeText.isUnsafe(u) {
                out += "\\u\(String(u.value, radix: 16).leftPad(4))"
            } else {
                out.unicodeScalars.append(u)
            }
        }
        return out
    }
}
