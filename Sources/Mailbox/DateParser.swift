// `Date:` values in RFC 5322 form and the obsolete forms found on lists: no weekday, two- or
// three-digit years, no seconds, named and military zones, asctime order, `15-Feb-2021`,
// `2021-07-19` (as mail clients write it in an attribution line), trailing comments like `(PST)`.
import Foundation

public enum DateParser {
    private static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
    private static let zones: [String: Int] = [
        "ut": 0, "utc": 0, "gmt": 0, "z": 0, "wet": 0, "bst": 60, "cet": 60, "met": 60, "cest": 120, "mest": 120, "eet": 120, "eest": 180,
        "est": -300, "edt": -240, "cst": -360, "cdt": -300, "mst": -420, "mdt": -360, "pst": -480, "pdt": -420,
        "jst": 540, "kst": 540, "hkt": 480, "ist": 330, "msk": 180, "aest": 600, "aedt": 660, "nzst": 720, "nzdt": 780,
    ]

    /// Parses a date; nil when no day, month, year and time can be found.
    public static func parse(_ raw: String) -> Date? {
        if let d = parseStrict(raw) { return d }
        return parseLenient(raw)
    }

    /// The form nearly all list mail uses, `[Thu, ]15 Feb 2021 20:15:47 +0100[ (CET)]`, read from the
    /// bytes in one pass. Anything else (or an out-of-range field) is left to `parseLenient`, which
    /// gives the same result for this form.
    static func parseStrict(_ raw: String) -> Date? {
        var raw = raw
        return raw.withUTF8 { p -> Date? in
            let n = p.count
            var i = 0
            @inline(__always) func spaces() -> Bool {
                let s = i
                while i < n, p[i] == SP || p[i] == TAB { i += 1 }
                return i > s
            }
            @inline(__always) func digits(_ minCount: Int, _ maxCount: Int) -> Int? {
                var v = 0, k = 0
                while i < n, k < maxCount, isDigit(p[i]) { v = v * 10 + Int(p[i] - 0x30); i += 1; k += 1 }
                return k >= minCount ? v : nil
            }
            @inline(__always) func word3() -> UInt32? {
                guard i + 3 <= n, isAlpha(p[i]), isAlpha(p[i + 1]), isAlpha(p[i + 2]) else { return nil }
                let w = UInt32(lowerByte(p[i])) << 16 | UInt32(lowerByte(p[i + 1])) << 8 | UInt32(lowerByte(p[i + 2]))
                i += 3
                return w
            }
            while i < n, p[i] == SP || p[i] == TAB { i += 1 }
            if i < n, isAlpha(p[i]) {
                guard let w = word3(), weekdays.contains(w), i < n, p[i] == UInt8(ascii: ",") else { return nil }
                i += 1
                _ = spaces()
            }
            guard let day = digits(1, 2), spaces(), let mw = word3(), let m = monthWords.firstIndex(of: mw), spaces(),
                  let year = digits(4, 4), spaces(), let hour = digits(2, 2), i < n, p[i] == UInt8(ascii: ":") else { return nil }
            i += 1
            guard let minute = digits(2, 2) else { return nil }
            var second = 0
            if i < n, p[i] == UInt8(ascii: ":") {
                i += 1
                guard let s = digits(2, 2) else { return nil }
                second = s
            }
            guard spaces(), i < n, p[i] == UInt8(ascii: "+") || p[i] == UInt8(ascii: "-") else { return nil }
            let negative = p[i] == UInt8(ascii: "-")
            i += 1
            guard let z = digits(4, 4) else { return nil }
            // Only blanks and one plain comment may follow.
            _ = spaces()
            if i < n, p[i] == UInt8(ascii: "(") {
                i += 1
                while i < n, p[i] != UInt8(ascii: "("), p[i] != UInt8(ascii: ")") { i += 1 }
                guard i < n, p[i] == UInt8(ascii: ")") else { return nil }
                i += 1
                _ = spaces()
            }
            guard i == n else { return nil }
            guard (1...31).contains(day), (0...23).contains(hour), (0...59).contains(minute), (0...60).contains(second),
                  year >= 1970 else { return nil }
            let offset = (negative ? -1 : 1) * ((z / 100) * 60 + z % 100)
            let days = daysFromCivil(year: year, month: m + 1, day: day)
            var t = Double(days) * 86_400 + Double(hour * 3600 + minute * 60 + min(second, 59))
            t -= Double(offset * 60)
            return Date(timeIntervalSince1970: t)
        }
    }

    private static func packed(_ s: String) -> UInt32 {
        s.utf8.reduce(0) { $0 << 8 | UInt32($1) }
    }
    private static let weekdays: [UInt32] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"].map(packed)
    private static let monthWords: [UInt32] = months.map(packed)

    /// Every other form: words split on blanks and commas, comments dropped.
    static func parseLenient(_ raw: String) -> Date? {
        // Drop comments and split into words on spaces and commas.
        var cleaned = ""
        var depth = 0
        for ch in raw {
            if ch == "(" { depth += 1; continue }
            if ch == ")" { depth = max(0, depth - 1); continue }
            if depth == 0 { cleaned.append(ch == "," ? " " : ch) }
        }
        var words = cleaned.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }).map { String($0).lowercased() }
        // 15-Feb-2021 or 2021-02-15
        var expanded: [String] = []
        for w in words {
            // (byte tests: Foundation's String.contains(String) costs thousands of instructions)
            if w.utf8.contains(UInt8(ascii: "-")), !w.hasPrefix("-"), w.split(separator: "-").count == 3 {
                let parts = w.split(separator: "-").map(String.init)
                if parts[0].count == 4, parts.allSatisfy({ $0.allSatisfy(\.isNumber) }), let m = Int(parts[1]), (1...12).contains(m) {
                    // 2021-07-19: year, month, day (as 19 jul 2021, so the day comes first).
                    expanded.append(contentsOf: [parts[2], months[m - 1], parts[0]])
                    continue
                }
                expanded.append(contentsOf: parts)
            } else if w.utf8.contains(UInt8(ascii: "t")), w.first?.isNumber == true, w.utf8.contains(UInt8(ascii: ":")) {
                expanded.append(contentsOf: w.split(separator: "t").map(String.init)) // ISO 8601
            } else {
                expanded.append(w)
            }
        }
        words = expanded
        var day: Int?, month: Int?, year: Int?
        var hour = 0, minute = 0, second = 0
        var haveTime = false
        var offsetMinutes: Int?
        var numbers: [(String, Int)] = []
        for w in words {
            if w.utf8.contains(UInt8(ascii: ":")) && !haveTime {
                var timeWord = Substring(w)
                // time glued to a zone: 20:15:47+0100
                if let z = timeWord.firstIndex(where: { $0 == "+" || $0 == "-" }) {
                    offsetMinutes = zoneOffset(String(timeWord[z...]))
                    timeWord = timeWord[..<z]
                }
                let parts = timeWord.split(separator: ":")
                guard parts.count >= 2, let h = Int(parts[0]), let m = Int(parts[1]) else { continue }
                hour = h; minute = m
                if parts.count >= 3 { second = Int(parts[2].prefix(2)) ?? 0 }
                haveTime = true
                continue
            }
            if let first = w.first, first == "+" || first == "-", w.count >= 3, w.dropFirst().allSatisfy(\.isNumber) {
                offsetMinutes = zoneOffset(w)
                continue
            }
            if let n = Int(w) {
                numbers.append((w, n))
                continue
            }
            let prefix3 = String(w.prefix(3))
            if month == nil, let m = months.firstIndex(of: prefix3), w.allSatisfy(\.isLetter) {
                month = m + 1
                continue
            }
            let bare = String(w.drop { $0 == "." }.reversed().drop { $0 == "." }.reversed())
            if let z = zones[bare] { if offsetMinutes == nil { offsetMinutes = z } }
        }
        // Assign numbers: a 4-digit one is the year; otherwise day comes first.
        for (text, n) in numbers {
            if text.count >= 3 && year == nil { year = n; continue }
            if month == nil && day != nil && n >= 1 && n <= 12 && year == nil && numbers.count >= 3 { month = n; continue }
            if day == nil && n >= 1 && n <= 31 { day = n; continue }
            if year == nil { year = n; continue }
        }
        guard let d = day, let mo = month, var y = year else { return nil }
        if y < 50 { y += 2000 } else if y < 1000 { y += 1900 }
        guard (1...31).contains(d), (0...23).contains(hour) || (hour == 24 && minute == 0), (0...59).contains(minute), (0...60).contains(second),
              y >= 1970, y < 10_000 else { return nil }
        let days = daysFromCivil(year: y, month: mo, day: d)
        var t = Double(days) * 86_400 + Double(hour * 3600 + minute * 60 + min(second, 59))
        t -= Double((offsetMinutes ?? 0) * 60)
        return Date(timeIntervalSince1970: t)
    }

    private static func zoneOffset(_ s: String) -> Int? {
        guard let sign = s.first, sign == "+" || sign == "-" else { return nil }
        let digits = s.dropFirst().prefix(4)
        guard digits.count == 4, let v = Int(digits) else {
            if let h = Int(s.dropFirst()), h <= 14 { return (sign == "-" ? -1 : 1) * h * 60 }
            return nil
        }
        let mins = (v / 100) * 60 + v % 100
        return sign == "-" ? -mins : mins
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }
}
