// `Retry-After` (RFC 9110 §10.2.3): a number of seconds or an HTTP-date, read into a wait.

#if canImport(Foundation)
import Foundation
#endif

public enum RetryAfter {
    /// The seconds to wait that a `Retry-After` value asks for, counted from `now`: the
    /// `delay-seconds` form (digits only) as is, an HTTP-date as the time left until it (0 when it
    /// is past). nil when the value is neither, so that the caller falls back to its own delay.
    public static func seconds(_ value: String, now: Date) -> Double? {
        let text = Substring(value).trimmingWhitespace()
        if text.isEmpty { return nil }
        if text.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) {
            // More digits than any sensible wait: a very long one (the caller's cap refuses it).
            if text.utf8.count > 9 { return 1e9 }
            return Double(Int(text) ?? 0)
        }
        guard let date = httpDate(String(text)) else { return nil }
        return max(0, date.timeIntervalSince1970 - now.timeIntervalSince1970)
    }

    /// An HTTP-date in any of its three forms, always GMT:
    /// `Sun, 06 Nov 1994 08:49:37 GMT` (IMF-fixdate), `Sunday, 06-Nov-94 08:49:37 GMT` (RFC 850)
    /// and `Sun Nov  6 08:49:37 1994` (asctime). nil for anything else.
    public static func httpDate(_ value: String) -> Date? {
        let words = value.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "," }).map(String.init)
        let day: Int?, month: Int?, year: Int?, time: String
        switch words.count {
        case 6 where words[5].lowercased() == "gmt":
            // IMF-fixdate: wkday, DD Mon YYYY HH:MM:SS GMT
            guard words[3].count == 4 else { return nil }
            (day, month, year, time) = (number(words[1], digits: 1...2), monthNumber(words[2]), number(words[3], digits: 4...4), words[4])
        case 4 where words[3].lowercased() == "gmt":
            // RFC 850: weekday, DD-Mon-YY HH:MM:SS GMT
            let parts = words[1].split(separator: "-", omittingEmptySubsequences: false).map(String.init)
            guard parts.count == 3, let short = number(parts[2], digits: 2...2) else { return nil }
            (day, month, year, time) = (number(parts[0], digits: 1...2), monthNumber(parts[1]), short < 70 ? 2000 + short : 1900 + short, words[2])
        case 5:
            // asctime: wkday Mon D HH:MM:SS YYYY
            (day, month, year, time) = (number(words[2], digits: 1...2), monthNumber(words[1]), number(words[4], digits: 4...4), words[3])
        default:
            return nil
        }
        let clock = time.split(separator: ":", omittingEmptySubsequences: false).map { number(String($0), digits: 2...2) }
        guard let day, let month, let year, clock.count == 3, let hour = clock[0], let minute = clock[1], let second = clock[2],
              (1...31).contains(day), hour < 24, minute < 60, second <= 60 else { return nil }
        let days = daysSince1970(year: year, month: month, day: day)
        return Date(timeIntervalSince1970: Double(days * 86400 + hour * 3600 + minute * 60 + second))
    }

    private static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]

    private static func monthNumber(_ word: String) -> Int? {
        months.firstIndex(of: word.lowercased()).map { $0 + 1 }
    }

    private static func number(_ word: String, digits: ClosedRange<Int>) -> Int? {
        guard digits.contains(word.utf8.count),
              word.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else { return nil }
        return Int(word)
    }

    /// Days from 1970-01-01 to a date of the proleptic Gregorian calendar.
    static func daysSince1970(year: Int, month: Int, day: Int) -> Int {
        // Count years from March, so that the leap day is the last day of a year.
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}
