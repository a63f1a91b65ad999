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

    /// `2024-03-12T09:14:02Z` without ICU (ISO8601DateFormatter costs ~15,000 instructions a
    /// call, which shows when a whole archive is listed).
    static func isoDate(_ date: Date) -> String {
        let t = Int(date.timeIntervalSince1970.rounded(.down))
        var days = t >= 0 ? t / 86_400 : (t - 86_399) / 86_400
        let secs = t - days * 86_400
        // civil date from days since 1970-01-01 (Howard Hinnant's algorithm)
        days += 719_468
        let era = (days >= 0 ? days : days - 146_096) / 146_097
        let doe = days - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        let y = yoe + era * 400 + (m <= 2 ? 1 : 0)
        func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
        return "\(y)-\(two(m))-\(two(d))T\(two(secs / 3600)):\(two(secs / 60 % 60)):\(two(secs % 60))Z"
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
