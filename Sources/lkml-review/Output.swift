// Output helpers shared by the subcommands: terminal-safe text, JSON encoding, stdout writes.
import Foundation

enum Output {
    /// Text from mail made safe for a terminal: control characters (escape sequences included)
    /// are shown as visible `^X` / `\u{…}` forms; newlines and tabs stay.
    static func terminalSafe(_ s: String) -> String {
        var needs = false
        for u in s.unicodeScalars where (u.value < 0x20 && u != "\n" && u != "\t") || u.value == 0x7F || (u.value >= 0x80 && u.value < 0xA0) || u == "\u{202E}" {
            needs = true; break
        }
        guard needs else { return s }
        var out = String.UnicodeScalarView()
        for u in s.unicodeScalars {
            if (u.value < 0x20 && u != "\n" && u != "\t") || u.value == 0x7F {
                out.append("^")
                out.append(Unicode.Scalar(u.value == 0x7F ? 0x3F : u.value + 0x40)!)
            } else if (u.value >= 0x80 && u.value < 0xA0) || u == "\u{202E}" {
                for c in String(format: "\\u{%X}", u.value).unicodeScalars { out.append(c) }
            } else {
                out.append(u)
            }
        }
        return String(out)
    }

    static func json<T: Encodable>(_ value: T) throws -> String {
        let enc = JSONEncoder()
        enc.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        enc.dateEncodingStrategy = .iso8601
        return String(decoding: try enc.encode(value), as: UTF8.self)
    }

    static func write(_ s: String) {
        FileHandle.standardOutput.write(Data(s.utf8))
    }
}
